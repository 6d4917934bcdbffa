"""Email over SMTP with aiosmtplib, through a small pool of connections kept open."""

from __future__ import annotations

import asyncio
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from ..contacts import ContactDetails
from .base import SENT, Answer, Message, Result

NO_ADDRESS = Answer(Result.permanent, "no email address on file")


class EmailSender:
    def __init__(self, smtp_url: str, sender: str, connections: int, reply_to: str | None = None) -> None:
        self.sender, self.reply_to = sender, reply_to
        self._from = parseaddr(sender)[1] or sender
        self._built: dict[tuple[str, str, str], bytes] = {}
        self._options = smtp_options(smtp_url)
        self._idle: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        for _ in range(connections):
            self._idle.put_nowait(aiosmtplib.SMTP(**self._options))  # type: ignore[arg-type]

    async def send(self, contact: ContactDetails, message: Message) -> Answer:
        if not contact.email:
            return NO_ADDRESS
        client = await self._idle.get()
        try:
            if not client.is_connected:
                await client.connect()
            await client.sendmail(self._from, [contact.email], self._raw(contact.email, message))
            return SENT
        except aiosmtplib.SMTPRecipientsRefused as refused:
            return _by_code(min((r.code for r in refused.recipients), default=550))
        except aiosmtplib.SMTPResponseException as error:
            return _by_code(error.code)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            await _close(client)
            return Answer(Result.transient, f"could not reach the mail server ({type(error).__name__})")
        finally:
            self._idle.put_nowait(client)

    async def close(self) -> None:
        while not self._idle.empty():
            await _close(self._idle.get_nowait())

    def _raw(self, to: str, message: Message) -> bytes:
        """The message as sent: the shared part built once per content, then each champion's own headers. The
        Message-ID is the alert's own, the same every time it is sent, so a mail system can drop a repeat."""
        key = (message.subject, message.text, message.html)
        shared = self._built.get(key)
        if shared is None:
            if len(self._built) > 256:
                self._built.clear()
            shared = self._built[key] = self._shared(message)
        own = f"To: {to}\r\nDate: {formatdate(usegmt=True)}\r\nMessage-ID: <{message.message_id}@coprod>\r\n"
        return own.encode() + shared

    def _shared(self, message: Message) -> bytes:
        mime = EmailMessage()
        mime["From"], mime["Subject"] = self.sender, message.subject
        if self.reply_to:
            mime["Reply-To"] = self.reply_to
        mime.set_content(message.text)
        mime.add_alternative(message.html, subtype="html")
        return mime.as_bytes(policy=policy.SMTP)


def smtp_options(url: str) -> dict[str, object]:
    """`smtp://user:pass@host:587?starttls=true` or `smtps://…` → aiosmtplib.SMTP keyword arguments."""
    parts = urlsplit(url)
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    implicit_tls = parts.scheme == "smtps"
    return {
        "hostname": parts.hostname or "127.0.0.1",
        "port": parts.port or (465 if implicit_tls else 25),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_tls": implicit_tls,
        "start_tls": query.get("starttls") in ("true", "1", "yes"),
        "timeout": 30,
    }


def _by_code(code: int) -> Answer:
    if code >= 500:
        return Answer(Result.permanent, f"the mail server refused the message ({code})")
    return Answer(Result.transient, f"the mail server asked to try later ({code})")


async def _close(client: aiosmtplib.SMTP) -> None:
    if client.is_connected:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            client.close()
