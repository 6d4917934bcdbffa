"""From an event's `type` to the model of its `data`, and one `parse_event` for every service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError, create_model

from . import champions, commitments, engagement, feedback, notifications, opportunities, services, training
from .base import EventData
from .envelope import Envelope, Event

EVENT_TYPES: Mapping[str, type[EventData]] = {
    "service.registered": services.ServiceRegistered,
    "service.closed": services.ServiceClosed,
    "commitment.signed": commitments.CommitmentSigned,
    "commitment.renewed": commitments.CommitmentRenewed,
    "commitment.lapsed": commitments.CommitmentLapsed,
    "engagement.recorded": engagement.EngagementRecorded,
    "engagement.amended": engagement.EngagementAmended,
    "engagement.withdrawn": engagement.EngagementWithdrawn,
    "engagement.outcome_recorded": engagement.EngagementOutcomeRecorded,
    "training.session_held": training.TrainingSessionHeld,
    "training.attended": training.TrainingAttended,
    "feedback.received": feedback.FeedbackReceived,
    "feedback.responded": feedback.FeedbackResponded,
    "champion.joined": champions.ChampionJoined,
    "champion.preferences_updated": champions.ChampionPreferencesUpdated,
    "champion.left": champions.ChampionLeft,
    "opportunity.published": opportunities.OpportunityPublished,
    "opportunity.closed": opportunities.OpportunityClosed,
    "opportunity.signed_up": opportunities.OpportunitySignedUp,
    "notification.sent": notifications.NotificationSent,
    "notification.failed": notifications.NotificationFailed,
}


class _Received(Event):
    specversion: Literal["1.0"]  # required on the way in, as the envelope has it


_TYPED: Mapping[str, type[Event]] = {
    event_type: create_model(f"{model.__name__}Event", __base__=_Received, data=(model, ...))
    for event_type, model in EVENT_TYPES.items()
}
"""Each type's event with its data model inside, so a valid event is checked in one pydantic call."""

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(t.split(".")[0] for t in EVENT_TYPES))


def family_of(event_type: str) -> str:
    return event_type.split(".", 1)[0]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an event, in words an upstream team can act on."""

    field: str
    message: str


class InvalidEvent(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def parse_event(raw: Any, position: int | None = None) -> Event:
    """Check a CloudEvent (a parsed JSON object) against the contract; raise InvalidEvent naming each field."""
    if not isinstance(raw, dict):
        raise InvalidEvent([Problem("(event)", "an event must be a JSON object")])
    event_type = raw.get("type")
    if isinstance(event_type, str) and (typed := _TYPED.get(event_type)):
        try:
            return typed.model_validate({**raw, "position": position})
        except ValidationError:
            pass  # checked again, part by part, to name each problem in plain words
    return parse_by_parts(raw, position)


def parse_by_parts(raw: dict[str, Any], position: int | None = None) -> Event:
    """The envelope, then the data against its type's model: each problem named by its field."""
    try:
        envelope = Envelope.model_validate(raw)
    except ValidationError as error:
        raise InvalidEvent(_problems(error)) from None
    model = EVENT_TYPES.get(envelope.type)
    if model is None:
        known = ", ".join(EVENT_TYPES)
        raise InvalidEvent([Problem("type", f"'{envelope.type}' is not an event type coprod knows ({known})")])
    try:
        data = model.model_validate(envelope.data)
    except ValidationError as error:
        raise InvalidEvent(_problems(error, prefix="data")) from None
    return Event.model_validate({**envelope.model_dump(), "data": data, "position": position})


def _problems(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        problems.append(Problem(field or "(event)", _plain(item["type"], item["msg"], item.get("ctx", {}))))
    return problems


_DATE = "must be a date written like 2025-06-01"
_MOMENT = "must be a date and time with its offset from UTC, written like 2025-06-01T10:00:00+01:00 (or …Z)"
_PLAIN_BY_KIND = {"missing": "this field is required but is missing", "timezone_aware": _MOMENT,
                  "timezone_naive": _MOMENT}
_BOUNDS = {"less_than_equal": ("le", "at most", "on or before"),
           "greater_than_equal": ("ge", "at least", "on or after")}


def _plain(kind: str, message: str, ctx: dict[str, Any]) -> str:
    if kind in _PLAIN_BY_KIND:
        return _PLAIN_BY_KIND[kind]
    if kind in _BOUNDS:
        key, number, day = _BOUNDS[kind]
        bound = ctx.get(key)
        return f"must be {day} {bound}" if isinstance(bound, str | date) else f"must be {number} {bound}"
    if kind.startswith("date_"):
        return _DATE
    if kind.startswith("datetime_"):
        return _MOMENT
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    return message
