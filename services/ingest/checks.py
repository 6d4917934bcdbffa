"""Checking a request's events: may this key send them, do they meet the contract, do they carry contact details."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from typing import Any

import orjson

from shared.auth import ApiKey, NotAllowed
from shared.events import Event, InvalidEvent, parse_event

from .personal_data import contact_details_in
from .store import NewEvent

ProblemList = list[dict[str, Any]]
_EVENTS_PER_TURN = 100


class Refused(Exception):
    """422: every problem of every event, by index and field."""

    def __init__(self, problems: ProblemList) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def check_permission(raws: Sequence[Any], key: ApiKey) -> None:
    for index, raw in enumerate(raws):
        if not isinstance(raw, dict):
            continue
        source, event_type = raw.get("source"), raw.get("type")
        if isinstance(source, str) and isinstance(event_type, str) and not key.may_send(source, event_type):
            raise NotAllowed(
                f"event {index}: the API key {key.name!r} may not send {event_type!r} events from source {source!r}"
            )


def check_events(raws: Sequence[Any]) -> list[NewEvent]:
    """The events ready to append, or Refused listing every problem (so a batch stores all or nothing)."""
    problems: ProblemList = []
    checked = _check_into(raws, 0, problems)
    if problems:
        raise Refused(problems)
    return checked


async def check_events_taking_turns(raws: Sequence[Any]) -> list[NewEvent]:
    """`check_events`, letting the event loop run every few events: a large batch takes milliseconds to check,
    and commits already in flight (other requests' answers) would otherwise wait behind it."""
    problems: ProblemList = []
    checked: list[NewEvent] = []
    for start in range(0, len(raws), _EVENTS_PER_TURN):
        if start:
            await asyncio.sleep(0)
        checked += _check_into(raws[start : start + _EVENTS_PER_TURN], start, problems)
    if problems:
        raise Refused(problems)
    return checked


def _check_into(raws: Sequence[Any], first_index: int, problems: ProblemList) -> list[NewEvent]:
    checked: list[NewEvent] = []
    for index, raw in enumerate(raws, start=first_index):
        found = problems_of(raw)
        problems.extend({"index": index, **problem} for problem in found[1])
        if found[0] is not None and not found[1]:
            checked.append(to_new_event(raw, found[0]))
    return checked


def problems_of(raw: Any) -> tuple[Event | None, ProblemList]:
    try:
        event = parse_event(raw)
    except InvalidEvent as invalid:
        return None, [{"field": p.field, "message": p.message} for p in invalid.problems]
    found = list(contact_details_in(raw.get("data"), "data"))
    if isinstance(raw.get("subject"), str):
        found.extend(contact_details_in(raw["subject"], "subject"))
    return event, [{"field": field, "message": _personal_data_message(kind)} for field, kind in found]


def to_new_event(raw: dict[str, Any], event: Event) -> NewEvent:
    return NewEvent(
        source=event.source,
        id=event.id,
        type=event.type,
        time=event.time,
        subject=event.subject,
        body=orjson.dumps(raw).decode(),
        digest=hashlib.sha256(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)).hexdigest(),
    )


def _personal_data_message(kind: str) -> str:
    return (
        f"this text looks like it contains {kind}; coprod keeps events forever, so contact details must never be"
        " sent in an event (give them to the notify service instead)"
    )
