"""The web's copy of the engagement events (and which service each piece of feedback is about), caught up from
ingest's log whenever an activity is shown, so it holds every event about each activity, whoever sent it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import insert

from ..clients.ingest import Ingest
from .tables import activity_events, feedback, log_read

PAGE = 5000
_READER = "engagement"
_catching_up = asyncio.Lock()


@dataclass(frozen=True)
class Stored:
    position: int
    event_type: str
    event_id: str
    source: str
    time: str
    data: dict[str, Any]


async def catch_up(engine: AsyncEngine, ingest: Ingest) -> None:
    """Read ingest's log from where this copy stopped to its head. Positions are kept once, so two web processes
    catching up together store each event once."""
    async with _catching_up:
        after = await _read_so_far(engine)
        while True:
            events, head = await ingest.read_log(after, PAGE)
            if not events:
                return
            after = await _keep(engine, events, after)
            if after >= head:
                return


async def _read_so_far(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        await conn.execute(insert(conn, log_read).values(name=_READER, position=0).on_conflict_do_nothing())
        found = await conn.scalar(select(log_read.c.position).where(log_read.c.name == _READER))
    return int(found or 0)


async def _keep(engine: AsyncEngine, events: list[dict[str, Any]], after: int) -> int:
    rows = [
        {"position": e["position"], "activity_id": e["data"]["activity_id"], "event_type": e["type"],
         "event_id": e["id"], "source": e["source"], "time": e["time"], "data": e["data"]}
        for e in events if e["type"].startswith("engagement.")
    ]
    received = [{"feedback_id": e["data"]["feedback_id"], "service_id": e["data"]["service_id"]}
                for e in events if e["type"] == "feedback.received"]
    last = max(int(e["position"]) for e in events)
    async with engine.begin() as conn:
        if rows:
            await conn.execute(insert(conn, activity_events).on_conflict_do_nothing(), rows)
        if received:
            await conn.execute(insert(conn, feedback).on_conflict_do_nothing(), received)
        await conn.execute(update(log_read).where(log_read.c.name == _READER, log_read.c.position < last)
                           .values(position=last))
    return max(after, last)


async def events_about(engine: AsyncEngine, activity_id: str) -> list[Stored]:
    query = select(activity_events).where(activity_events.c.activity_id == activity_id)
    async with engine.connect() as conn:
        rows = (await conn.execute(query.order_by(activity_events.c.position))).all()
    return [Stored(r.position, r.event_type, r.event_id, r.source, r.time, dict(r.data)) for r in rows]


async def service_of_feedback(engine: AsyncEngine, feedback_id: str) -> str | None:
    async with engine.connect() as conn:
        found = await conn.scalar(select(feedback.c.service_id).where(feedback.c.feedback_id == feedback_id))
    return str(found) if found else None
