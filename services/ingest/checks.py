"""Checking a request's events: may this key send them, do they meet the contract, do they carry personal data."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson

from shared.auth import ApiKey, NotAllowed
from shared.events import Event, InvalidEvent, parse_event

from .guard import DEFAULT_MAX_TEXT, guard
from .pseudonyms import fingerprint, forgets_people, people_in
from .store import NewEvent

ProblemList = list[dict[str, Any]]
_CHECKED_INLINE_BYTES = 64 * 1024


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
        if isinstance(source, str) and isinstance(event_type, str) and (why := key.refusal(source, event_type)):
            raise NotAllowed(f"event {index}: {why}")


def check_events(raws: Sequence[Any], max_text: int = DEFAULT_MAX_TEXT) -> list[NewEvent]:
    """The events ready to append, or Refused listing every problem (so a batch stores all or nothing)."""
    found = [_parsed(raw) for raw in raws]
    bodies = [orjson.dumps(raw) for raw in raws]
    for finding in guard(raws, max_text, bodies):
        found[finding.event][1].append({"field": finding.field, "message": finding.message})
    problems = [{"index": index, **problem} for index, (_, listed) in enumerate(found) for problem in listed]
    if problems:
        raise Refused(problems)
    return [to_new_event(raw, event, body) for raw, (event, _), body in zip(raws, found, bodies, strict=True) if event]


async def check_request(raws: Sequence[Any], body_bytes: int, max_text: int = DEFAULT_MAX_TEXT) -> list[NewEvent]:
    """`check_events`, in a worker thread when the request is large: other requests' answers (and health checks)
    would otherwise wait behind it."""
    if body_bytes <= _CHECKED_INLINE_BYTES:
        return check_events(raws, max_text)
    return await asyncio.to_thread(check_events, raws, max_text)


def problems_of(raw: Any, max_text: int = DEFAULT_MAX_TEXT) -> tuple[Event | None, ProblemList]:
    event, problems = _parsed(raw)
    problems.extend({"field": finding.field, "message": finding.message} for finding in guard([raw], max_text))
    return (event if not problems else None), problems


def _parsed(raw: Any) -> tuple[Event | None, ProblemList]:
    try:
        return parse_event(raw), []
    except InvalidEvent as invalid:
        return None, [{"field": p.field, "message": p.message} for p in invalid.problems]


def to_new_event(raw: dict[str, Any], event: Event, body: bytes | None = None) -> NewEvent:
    named = people_in(raw)
    return NewEvent(
        source=event.source,
        id=event.id,
        type=event.type,
        time=event.time,
        subject=event.subject,
        body=(body or orjson.dumps(raw)).decode(),
        digest=fingerprint(raw),
        people=named,
        raw=raw if named else None,
        forgets_people=forgets_people(raw),
    )
