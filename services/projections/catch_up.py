"""Keeping the figures whole: move the watermark, and fetch from the event store what Redis never delivered.

Positions are gap-free, so a position missing from `facts` while the watermark stands still means an event is
missing from Redis (a trimmed stream, a Redis that lost everything). After `gap_wait_seconds` the missing
events are read back from ingest and applied (idempotently: if Redis delivers them later, nothing changes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any

import orjson
from redis.asyncio import Redis
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.consuming import list_dead_letters, stored_event
from shared.events import Event

from .apply import apply_events
from .event_log import EventLog
from .live import LiveGeneration
from .metrics import Metrics
from .set_aside import SetAside, checked, counted, reason_of, set_aside, worth_retrying
from .state import generation_progress, save_progress
from .tables import ReadModel, read_model

log = logging.getLogger(__name__)


async def contiguous_end(engine: AsyncEngine, model: ReadModel, after: int) -> int:
    """The last position of the unbroken run of passed positions that follows `after`: applied (in `facts`) or set
    aside (set_aside.py), which is as good for the watermark.

    Walks each primary key from `after` to the first position whose successor is missing: the cost is the length
    of the new run, not the size of the table.
    """
    async with engine.connect() as conn:
        while True:
            applied = await _run_end(conn, model.facts, after)
            passed = await _run_end(conn, model.set_aside, applied)
            if passed == applied:
                return applied
            after = passed


async def _run_end(conn: AsyncConnection, table: Table, after: int) -> int:
    rows, following = table.alias("f"), table.alias("g")
    successor = select(following.c.position).where(following.c.position == rows.c.position + 1).exists()
    if await conn.scalar(select(rows.c.position).where(rows.c.position == after + 1)) is None:
        return after
    end = await conn.scalar(
        select(rows.c.position).where(rows.c.position > after, ~successor).order_by(rows.c.position).limit(1)
    )
    return int(end if end is not None else after)


def dead_letter_positions(letters: list[dict[str, Any]]) -> set[int]:
    return {orjson.loads(letter["body"]).get("position") for letter in letters}


class CatchUp:
    """The background task beside the consumer: watermark, head, lag metrics and gap filling."""

    def __init__(
        self, engine: AsyncEngine, events: EventLog, live: LiveGeneration, redis: Redis, *,
        prefix: str, dead_letters: str, gap_wait: float, page: int, metrics: Metrics,
    ) -> None:
        self.engine, self.events, self.live, self.redis = engine, events, live, redis
        self.prefix, self.dead_letters, self.metrics = prefix, dead_letters, metrics
        self.gap_wait, self.page = gap_wait, page
        self._generation, self._watermark, self._moved_at = 0, -1, time.monotonic()
        self._filled_through = 0
        self._failing: set[int] = set()
        self._ingest_answers = True
        self._nudged = asyncio.Event()

    def nudge(self) -> None:
        """Events were just applied: move the watermark now rather than at the next tick (freshness)."""
        self._nudged.set()

    async def run(self, every: float) -> None:
        while True:
            try:
                await self.step()
            except Exception:
                log.warning("could not bring the figures up to date; trying again in %.1fs", every, exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudged.wait(), every)
            self._nudged.clear()

    async def step(self) -> None:
        generation = await self.live.get()
        if generation != self._generation:
            self._generation, self._filled_through, self._failing = generation, 0, set()
        model = read_model(generation)
        saved = await generation_progress(self.engine, generation)
        watermark = await contiguous_end(self.engine, model, saved.position)
        head = await self._head(saved.head)
        if watermark != self._watermark:
            self._watermark, self._moved_at = watermark, time.monotonic()
        await save_progress(self.engine, generation, watermark, head)
        self._observe(watermark, head)
        async with self.engine.connect() as conn:
            self.metrics.set_aside.set(await counted(conn, model))
        if head > watermark and time.monotonic() - self._moved_at >= self.gap_wait:
            await self.fill(model, max(watermark, self._filled_through), head)
            self._moved_at = time.monotonic()

    async def fill(self, model: ReadModel, after: int, head: int) -> None:
        log.info("events %d to %d have not arrived through Redis; reading them from the event store", after + 1, head)
        while after < head and (page := await self.events.read_stored(after, self.page)):
            if await self.live.get() != model.generation:
                return  # a rebuild switched: the new generation's gaps are the next step's
            events, refused = checked(page, stored_event)
            for one in refused:
                await self._set_aside(model, one, next(raw for raw in page if raw.get("position") == one.position))
            await self._apply(model, events)
            after = self._filled_through = int(page[-1]["position"])

    async def _apply(self, model: ReadModel, events: Sequence[Event]) -> None:
        try:
            self.metrics.filled.inc(await apply_events(self.engine, model, events))
            return
        except Exception as error:
            if worth_retrying(error):
                raise
            log.warning("a page of %d events from the event store failed; applying them one by one", len(events))
        for event in events:
            try:
                self.metrics.filled.inc(await apply_events(self.engine, model, [event]))
            except Exception as error:
                if worth_retrying(error):
                    raise
                one = SetAside(event.position or 0, event.id, event.type, reason_of(error))
                await self._set_aside(model, one, event.model_dump(mode="json", exclude_unset=True))

    async def _set_aside(self, model: ReadModel, event: SetAside, body: dict[str, Any]) -> None:
        """Record it as set aside (the watermark passes it), and put it in the dead letters to replay after a fix."""
        await set_aside(self.engine, model, [event])
        if event.position in self._failing:
            return
        self._failing.add(event.position)
        log.error("set aside: the event at %s", event)
        if event.position in dead_letter_positions(await list_dead_letters(self.redis, self.dead_letters, 10_000)):
            return
        fields = {
            "stream": "event-store", "entry_id": str(event.position), "group": "projections", "error": event.reason,
            "deliveries": "1", "body": orjson.dumps(body),
        }
        await self.redis.xadd(self.dead_letters, fields)  # type: ignore[arg-type]

    async def _head(self, known: int) -> int:
        try:
            head = await self.events.head()
        except Exception as error:
            if self._ingest_answers:
                log.warning("cannot ask ingest for the event store's head (%s); using Redis's hint meanwhile", error)
            self._ingest_answers = False
        else:
            self._ingest_answers = True
            return head
        try:
            hint = await self.redis.get(f"{self.prefix}head")
        except Exception:
            return known
        return max(known, int(hint)) if hint is not None else known

    def _observe(self, watermark: int, head: int) -> None:
        self.metrics.watermark.set(watermark)
        self.metrics.head.set(head)
        self.metrics.lag.set(max(head - watermark, 0))
