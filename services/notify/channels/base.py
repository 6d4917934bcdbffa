"""What every channel shares: a rendered message in, one of three answers out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from ..contacts import ContactDetails


class Result(StrEnum):
    sent = "sent"
    permanent = "permanent"  # this channel will not work for this champion: try the next one
    transient = "transient"  # may work later: retry with backoff


@dataclass(frozen=True)
class Answer:
    """A channel's answer; `reason` is for the delivery log, so it never holds a contact detail."""

    result: Result
    reason: str = ""


SENT = Answer(Result.sent)


@dataclass(frozen=True)
class Message:
    """One alert or digest rendered for one champion's format."""

    message_id: str
    subject: str
    text: str
    html: str
    sms: str
    payload: dict[str, Any]
    opportunity_ids: tuple[str, ...] = ()
    stop_url: str | None = None
    """The champion's own "Stop these messages" link: the email's one-click List-Unsubscribe (RFC 8058)."""


class Sender(Protocol):
    async def send(self, contact: ContactDetails, message: Message) -> Answer: ...


def from_status(status: int, what: str) -> Answer:
    """HTTP status → answer: 2xx sent; 408, 429 and 5xx worth retrying; any other 4xx will not change."""
    if 200 <= status < 300:
        return SENT
    if status in (408, 429) or status >= 500:
        return Answer(Result.transient, f"{what} answered {status}")
    return Answer(Result.permanent, f"{what} refused the message ({status})")
