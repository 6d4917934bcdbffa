"""Email over SMTP with aiosmtplib, through a small pool of connections kept open."""

from __future__ import annotations

import asyncio
import base64
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
        self._built: dict[str, bytes] = {}
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
        """The message as sent: the MIME frame built once per subject, then each champion's own headers and text.
        The Message-ID is the alert's own, the same every time it is sent, so a mail system can drop a repeat."""
        frame = self._built.get(message.subject)
        if frame is None:
            if len(self._built) > 256:
                self._built.clear()
            frame = self._built[message.subject] = self._frame(message.subject)
        own = f"To: {to}\r\nDate: {formatdate(usegmt=True)}\r\nMessage-ID: <{message.message_id}@coprod>\r\n"
        own += self._unsubscribe(message.stop_url)
        body = frame.replace(_TEXT, _base64(message.text), 1).replace(_HTML, _base64(message.html), 1)
        return own.encode() + body

    def _frame(self, subject: str) -> bytes:
        """Headers and MIME parts with stand-ins for the two bodies, which go in base64 (safe for any text)."""
        mime = EmailMessage()
        mime["From"], mime["Subject"] = self.sender, subject
        if self.reply_to:
            mime["Reply-To"] = self.reply_to
        mime.set_content("text", cte="base64")
        mime.add_alternative("html", subtype="html", cte="base64")
        return mime.as_bytes(policy=policy.SMTP)

    def _unsubscribe(self, stop_url: str | None) -> str:
        """RFC 2369 and RFC 8058: a mail program's own "unsubscribe" button posts to the champion's stop link."""
        if stop_url is None:
            return ""
        targets = [f"<{stop_url}>"]
        if self.reply_to:
            targets.append(f"<mailto:{parseaddr(self.reply_to)[1]}?subject=Stop%20these%20messages>")
        return f"List-Unsubscribe: {', '.join(targets)}\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"


def _base64(text: str) -> bytes:
    """A body in base64 as the email library writes one (lines of 76, CRLF between them, the text as given)."""
    return base64.encodebytes(text.encode()).replace(b"\n", b"\r\n")


_TEXT, _HTML = _base64("text\n"), _base64("html\n")
"""The stand-ins' bodies as the email library writes them: it ends a body with a newline."""


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
