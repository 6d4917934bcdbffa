"""Personal links: signed, expiring, single-purpose tokens (itsdangerous), one action for one champion.

A token is signed with `COPROD_LINK_SECRET` under a salt of its own action, so a "stop" token cannot be used to
sign up, and it carries the champion's token (never an upstream id or a contact detail) and, for "I'm
interested", the opportunity. It holds no password and opens no account: it does its one thing until it expires
(`COPROD_LINK_DAYS`). Opening a link changes nothing; the page it opens asks for one tap (a POST).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from itsdangerous import BadData, SignatureExpired, TimestampSigner

from .clock import Clock


class Action(StrEnum):
    interested = "yes"
    preferences = "choose"
    stop = "stop"


@dataclass(frozen=True)
class Link:
    action: Action
    champion_id: str
    opportunity_id: str | None = None


class LinkRefused(Exception):
    """The token is not one of ours (`forged`) or has run out (`expired`); `why` says which."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Links:
    def __init__(self, secret: str, public_url: str, lifetime: timedelta, clock: Clock) -> None:
        self.public_url, self.lifetime = public_url.rstrip("/"), lifetime
        signer = _clocked_signer(clock)
        self._by_action = {
            action: signer(secret, salt=f"coprod-notify-{action.value}", digest_method=hashlib.sha256)
            for action in Action
        }

    def token(self, link: Link) -> str:
        parts = [link.champion_id] if link.opportunity_id is None else [link.champion_id, link.opportunity_id]
        payload = base64.urlsafe_b64encode("\n".join(parts).encode()).rstrip(b"=")
        return self._by_action[link.action].sign(payload).decode()

    def url(self, link: Link) -> str:
        return f"{self.public_url}/{link.action.value}/{self.token(link)}"

    def read(self, action: Action, token: str) -> Link:
        try:
            payload = self._by_action[action].unsign(token, max_age=int(self.lifetime.total_seconds()))
            parts = base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)).decode().split("\n")
        except SignatureExpired:
            raise LinkRefused("expired") from None
        except (BadData, ValueError):
            raise LinkRefused("forged") from None
        if not 1 <= len(parts) <= 2 or not all(parts):
            raise LinkRefused("forged")
        return Link(action, parts[0], parts[1] if len(parts) == 2 else None)


def _clocked_signer(clock: Clock) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        """Signs and checks by notify's clock, so tests can make a link that has run out."""

        def get_timestamp(self) -> int:
            return int(clock.now().timestamp())

    return ClockedSigner
