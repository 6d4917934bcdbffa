"""Each thing's current state, folded from all of its facts in (time, position) order: pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

import orjson

Row = dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """One applied event as the fold sees it: `data` holds only the fields its sender sent."""

    position: int
    type: str
    key: str
    time: datetime
    data: Mapping[str, Any]

    @property
    def order(self) -> tuple[datetime, int]:
        return (self.time, self.position)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if isinstance(value, str) else None


def _time_day(value: Any, fallback: datetime) -> date:
    if isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(UTC).date()
    return fallback.astimezone(UTC).date()


_IN_ORDER = attrgetter("time", "position")


def _ordered(facts: Iterable[Fact], *types: str) -> list[Fact]:
    return sorted([f for f in facts if f.type in types], key=_IN_ORDER)


def _merged(facts: Iterable[Fact]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for fact in facts:
        fields.update(fact.data)
    return fields


def _latest(facts: Sequence[Fact], field: str) -> Any:
    return facts[-1].data.get(field) if facts else None


def fold_activity(key: str, facts: Sequence[Fact]) -> list[Row]:
    fields = _merged(_ordered(facts, "engagement.recorded", "engagement.amended"))
    outcomes = [_day(f.data.get("communicated_on")) for f in facts if f.type == "engagement.outcome_recorded"]
    return [{
        "activity_id": key,
        "recorded": any(f.type == "engagement.recorded" for f in facts),
        "occurred_on": _day(fields.get("occurred_on")),
        "level": fields.get("level"),
        "activity_type": fields.get("activity_type"),
        "mode": fields.get("mode"),
        "service_id": fields.get("service_id"),
        "named_region": fields.get("region"),
        "region": fields.get("region"),
        "service_type": None,
        "customers": fields.get("customers_participating") or 0,
        "colleagues": fields.get("colleagues_participating") or 0,
        "withdrawn": any(f.type == "engagement.withdrawn" for f in facts),
        "outcome_on": min((d for d in outcomes if d is not None), default=None),
    }]


def fold_service(key: str, facts: Sequence[Fact]) -> list[Row]:
    registered = _ordered(facts, "service.registered")
    fields = _merged(registered)
    opened_on = _day(fields.get("opened_on")) or (_time_day(None, registered[0].time) if registered else None)
    return [{
        "service_id": key,
        "name": fields.get("name"),
        "service_type": fields.get("service_type"),
        "region": fields.get("region"),
        "opened_on": opened_on,
        "closed_on": _day(_latest(_ordered(facts, "service.closed"), "closed_on")),
    }]


def fold_feedback(key: str, facts: Sequence[Fact]) -> list[Row]:
    received = _merged(_ordered(facts, "feedback.received"))
    responded = _merged(_ordered(facts, "feedback.responded"))
    return [{
        "feedback_id": key,
        "service_id": received.get("service_id"),
        "received_on": _day(received.get("received_on")),
        "kind": received.get("kind"),
        "channel": received.get("channel"),
        "theme": received.get("theme"),
        "responded_on": _day(responded.get("responded_on")),
        "action_taken": responded.get("action_taken"),
    }]


def fold_champion(key: str, facts: Sequence[Fact]) -> list[Row]:
    joined = _merged(_ordered(facts, "champion.joined"))
    return [{
        "champion_id": key,
        "role": joined.get("role"),
        "joined_on": _day(joined.get("joined_on")),
        "region": _chosen(facts, "region"),
        "left_on": _day(_latest(_ordered(facts, "champion.left"), "left_on")),
        "national_customer_group": bool(_chosen(facts, "national_customer_group")),
    }]


def _chosen(facts: Sequence[Fact], field: str) -> Any:
    """A champion's latest choice of `field`, on joining or since."""
    return _latest([f for f in _ordered(facts, "champion.joined", "champion.preferences_updated") if field in f.data],
                   field)


def fold_opportunity(key: str, facts: Sequence[Fact]) -> list[Row]:
    published = _ordered(facts, "opportunity.published")
    fields = _merged(published)
    return [{
        "opportunity_id": key,
        "title": fields.get("title"),
        "scope": fields.get("scope"),
        "region": fields.get("region"),
        "service_id": fields.get("service_id"),
        "published_on": _time_day(None, published[0].time) if published else None,
        "closes_on": _day(fields.get("closes_on")),
        "closed_on": _day(_latest(_ordered(facts, "opportunity.closed"), "closed_on")),
        "summary": fields.get("summary"),
        "topics": orjson.dumps(fields.get("topics") or []).decode(),
        "open_to": fields.get("open_to") or "both",
        "mode": fields.get("mode"),
        "starts_at": _moment(fields.get("starts_at")),
        "places": fields.get("places"),
        "location": fields.get("location"),
        "accessibility_support": fields.get("accessibility_support") or None,
        "expenses_paid": bool(fields.get("expenses_paid")),
        "how_to_take_part": fields.get("how_to_take_part"),
        "customer_group_meeting": bool(fields.get("customer_group_meeting")),
    }]


def fold_sign_ups(key: str, facts: Sequence[Fact]) -> list[Row]:
    people: dict[str, dict[str, Any]] = {}
    for fact in _ordered(facts, "opportunity.signed_up"):
        people.setdefault(fact.data["person_id"], {}).update(fact.data)
    return [
        {"opportunity_id": key, "person_id": person, "role": f.get("role"), "signed_up_on": _day(f.get("signed_up_on"))}
        for person, f in people.items()
    ]


def fold_training_session(key: str, facts: Sequence[Fact]) -> list[Row]:
    fields = _merged(_ordered(facts, "training.session_held"))
    return [{
        "session_id": key,
        "held_on": _day(fields.get("held_on")),
        "module": fields.get("module"),
        "mode": fields.get("mode"),
        "region": fields.get("region"),
    }]


def fold_notification(key: str, facts: Sequence[Fact]) -> list[Row]:
    last = _ordered(facts, "notification.sent", "notification.failed")[-1]
    sent = last.type == "notification.sent"
    return [{
        "notification_id": key,
        "opportunity_id": last.data.get("opportunity_id"),
        "champion_id": last.data.get("champion_id"),
        "channel": last.data.get("channel"),
        "status": "sent" if sent else "failed",
        "possibly_sent_twice": sent and bool(last.data.get("possibly_sent_twice")),
        "dated": _time_day(last.data.get("sent_at") if sent else None, last.time),
    }]


def commitment_row(fact: Fact) -> Row:
    kind = fact.type.removeprefix("commitment.")
    return {
        "position": fact.position,
        "commitment_id": fact.data["commitment_id"],
        "service_id": fact.data["service_id"],
        "kind": kind,
        "dated": _day(fact.data[f"{kind}_on"]),
        "review_due_on": _day(fact.data.get("review_due_on")),
        "time": fact.time,
    }


def attendance_row(fact: Fact) -> Row:
    return {"session_id": fact.data["session_id"], "person_id": fact.data["person_id"], "role": fact.data["role"]}


Fold = Callable[[str, Sequence[Fact]], list[Row]]


@dataclass(frozen=True)
class Kind:
    """A kind of thing: the event types that make it, the field that names it, its table and its fold."""

    table: str
    key_field: str
    types: tuple[str, ...]
    fold: Fold


KINDS: tuple[Kind, ...] = (
    Kind("services", "service_id", ("service.registered", "service.closed"), fold_service),
    Kind("activities", "activity_id", (
        "engagement.recorded", "engagement.amended", "engagement.withdrawn", "engagement.outcome_recorded",
    ), fold_activity),
    Kind("feedback", "feedback_id", ("feedback.received", "feedback.responded"), fold_feedback),
    Kind("champions", "champion_id", (
        "champion.joined", "champion.preferences_updated", "champion.left",
    ), fold_champion),
    Kind("opportunities", "opportunity_id", ("opportunity.published", "opportunity.closed"), fold_opportunity),
    Kind("sign_ups", "opportunity_id", ("opportunity.signed_up",), fold_sign_ups),
    Kind("training_sessions", "session_id", ("training.session_held",), fold_training_session),
    Kind("notifications", "notification_id", ("notification.sent", "notification.failed"), fold_notification),
)
KIND_OF: Mapping[str, Kind] = {t: kind for kind in KINDS for t in kind.types}
APPENDED: Mapping[str, tuple[str, str, Callable[[Fact], Row]]] = {
    "commitment.signed": ("commitment_events", "commitment_id", commitment_row),
    "commitment.renewed": ("commitment_events", "commitment_id", commitment_row),
    "commitment.lapsed": ("commitment_events", "commitment_id", commitment_row),
    "training.attended": ("attendance", "session_id", attendance_row),
}
"""Event types that are one row each, whatever else arrives: no fold needed."""


def key_of(event_type: str, data: Mapping[str, Any]) -> str:
    if kind := KIND_OF.get(event_type):
        return str(data[kind.key_field])
    if appended := APPENDED.get(event_type):
        return str(data[appended[1]])
    raise ValueError(f"the projections do not know what a {event_type!r} event is about")
