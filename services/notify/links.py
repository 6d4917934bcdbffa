"""Personal links: signed, expiring, single-purpose tokens (itsdangerous), one action for one champion.

A token is signed with `COPROD_LINK_SECRET` under a salt of its own action, so a "stop" token cannot be used to
sign up, and it carries the champion's token (never an upstream id or a contact detail) and, for "I'm
interested", the opportunity. It holds no password and opens no account: it does its one thing until it expires
(`COPROD_LINK_DAYS`). Opening a link changes nothing; the page it opens asks for one tap (a POST).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

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
            action: URLSafeTimedSerializer(
                secret,
                salt=f"coprod-notify-{action.value}",
                signer=signer,
                signer_kwargs={"digest_method": hashlib.sha256},
            )
            for action in Action
        }

    def token(self, link: Link) -> str:
        payload = [link.champion_id] if link.opportunity_id is None else [link.champion_id, link.opportunity_id]
        return str(self._by_action[link.action].dumps(payload))

    def url(self, link: Link) -> str:
        return f"{self.public_url}/{link.action.value}/{self.token(link)}"

    def read(self, action: Action, token: str) -> Link:
        try:
            payload = self._by_action[action].loads(token, max_age=int(self.lifetime.total_seconds()))
        except SignatureExpired:
            raise LinkRefused("expired") from None
        except BadData:
            raise LinkRefused("forged") from None
        if not isinstance(payload, list) or not 1 <= len(payload) <= 2 or not all(isinstance(p, str) for p in payload):
            raise LinkRefused("forged")
        return Link(action, payload[0], payload[1] if len(payload) == 2 else None)


def _clocked_signer(clock: Clock) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        """Signs and checks by notify's clock, so tests can make a link that has run out."""

        def get_timestamp(self) -> int:
            return int(clock.now().timestamp())

    return ClockedSigner
