"""The two HTTP channels: an SMS gateway and signed webhooks (Teams, Slack, …)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import time
from urllib.parse import urlsplit

import httpx
import orjson

from ..contacts import ContactDetails
from .base import Answer, Message, Result, from_status


class SmsSender:
    """POST {"to", "text", "reference"} with a bearer token to the gateway; `reference` (the gateway's client
    reference, also sent as `Idempotency-Key`) is the alert's own id, the same every time it is sent."""

    def __init__(self, client: httpx.AsyncClient, gateway_url: str | None, token: str | None) -> None:
        self.client, self.gateway_url, self.token = client, gateway_url, token

    async def send(self, contact: ContactDetails, message: Message) -> Answer:
        if not contact.phone:
            return Answer(Result.permanent, "no mobile number on file")
        if not self.gateway_url:
            return Answer(Result.permanent, "no SMS gateway is set up")
        headers = {"Authorization": f"Bearer {self.token or ''}", "Idempotency-Key": message.message_id}
        body = {"to": contact.phone, "text": message.sms, "reference": message.message_id}
        try:
            response = await self.client.post(self.gateway_url, json=body, headers=headers)
        except httpx.HTTPError as error:
            return Answer(Result.transient, f"could not reach the SMS gateway ({type(error).__name__})")
        return from_status(response.status_code, "the SMS gateway")


class WebhookSender:
    """A JSON POST signed `sha256=HMAC(secret, "{timestamp}.{body}")`, with the alert's own id as `Idempotency-Key`
    (the same every time it is sent); private addresses refused unless allowed."""

    def __init__(self, client: httpx.AsyncClient, secret: str, allow_private: bool) -> None:
        self.client, self.secret, self.allow_private = client, secret.encode(), allow_private

    async def send(self, contact: ContactDetails, message: Message) -> Answer:
        if not contact.webhook_url:
            return Answer(Result.permanent, "no webhook address on file")
        url: str = contact.webhook_url
        extra = {"Idempotency-Key": message.message_id}
        extensions: dict[str, str] = {}
        if not self.allow_private:
            address = await public_address(url)
            if address is None:
                return Answer(
                    Result.permanent, "the webhook address is not a public internet address, so it was refused"
                )
            url, host, extensions = pinned(url, address)
            extra |= host
        body = orjson.dumps(message.payload)
        try:
            response = await self.client.post(
                url, content=body, headers=self.headers(body) | extra, extensions=extensions
            )
        except httpx.HTTPError as error:
            return Answer(Result.transient, f"could not reach the webhook ({type(error).__name__})")
        return from_status(response.status_code, "the webhook")

    def headers(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signature = hmac.new(self.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/json",
            "X-Coprod-Timestamp": stamp,
            "X-Coprod-Signature": f"sha256={signature}",
        }


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolves_to_public(url: str) -> bool:
    return await public_address(url) is not None


async def public_address(url: str) -> str | None:
    """An address of the host, if every address it resolves to is public (loopback, private, link-local refused)."""
    host = urlsplit(url).hostname
    if not host:
        return None
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return None
    addresses = [str(info[4][0]) for info in found]
    return addresses[0] if addresses and all(is_public(a) for a in addresses) else None


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL sent to the address just checked, so a second DNS answer (rebinding) cannot redirect it."""
    parts = httpx.URL(url)
    host = f"[{address}]" if ":" in address else address
    headers = {"Host": parts.netloc.decode()}
    return str(parts.copy_with(host=host.strip("[]"))), headers, {"sni_hostname": parts.host}
