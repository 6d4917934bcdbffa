"""Notify reads the event store behind Redis, so what Redis loses (wiped, restored from an older file) is not lost.

Redis brings events at once; the event store (through ingest's `GET /v1/events`) brings every one of them, in
position order, since positions have no gaps. The catch-up keeps the position up to which every event has been
applied and reads on from there: the champion, opportunity and service events Redis already delivered are passed
over, the others are applied (and counted as filled). `/readyz` and `/metrics` say how far behind it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.event_log import EventLog
from shared.events import Event, parse_event

from .intake import FAMILIES, Intake
from .metrics import Metrics
from .progress import read_position

log = logging.getLogger(__name__)
ATTEMPTS_BEFORE_SETTING_ASIDE = 5


class CatchUp:
    def __init__(
        self, engine: AsyncEngine, events: EventLog, intake: Intake, metrics: Metrics, *, page: int, every: float
    ) -> None:
        self.engine, self.events, self.intake, self.metrics = engine, events, intake, metrics
        self.page, self.every = page, every
        self.position: int | None = None
        self.head: int | None = None
        self.last_error: str | None = None
        self._failures = 0

    @property
    def lag(self) -> int | None:
        if self.position is None or self.head is None:
            return None
        return max(self.head - self.position, 0)

    async def run(self) -> None:
        while True:
            try:
                more = await self.step()
                self.last_error, self._failures = None, 0
            except Exception as error:
                self.last_error, self._failures = f"{type(error).__name__}: {error}"[:300], self._failures + 1
                log.warning("could not read the event store (%s); trying again in %.1fs", self.last_error, self.every)
                more = False
            if not more:
                await asyncio.sleep(self.every)

    async def step(self) -> bool:
        """Read and apply one page after the position; True if more are waiting."""
        if self.position is None:
            async with self.engine.connect() as conn:
                self.position = await read_position(conn)
        self.head = await self.events.head()
        self._observe()
        if self.head <= self.position:
            return False
        stored = await self.events.read_stored(self.position, self.page)
        if not stored:
            return False
        through = int(stored[-1]["position"])
        await self._apply(self._to_apply(stored), through)
        self.intake.from_redis = {p for p in self.intake.from_redis if p > through}
        self.position = through
        self._observe()
        return through < self.head

    def _to_apply(self, stored: Sequence[dict[str, Any]]) -> list[Event]:
        wanted = [
            raw
            for raw in stored
            if str(raw.get("type", "")).startswith(FAMILIES) and raw.get("position") not in self.intake.from_redis
        ]
        events = []
        for raw in wanted:
            try:
                events.append(parse_event(raw, position=raw["position"]))
            except ValueError as error:
                self._set_aside(raw.get("position"), error)
        return events

    async def _apply(self, events: list[Event], through: int) -> None:
        if self._failures < ATTEMPTS_BEFORE_SETTING_ASIDE:
            await self.intake.apply(events, read_through=through)  # a failure is retried as a whole
        else:
            await self._one_by_one(events, through)
        self.metrics.filled.inc(len(events))

    async def _one_by_one(self, events: list[Event], through: int) -> None:
        """The page has failed again and again: apply each alone, set aside the ones that still fail."""
        for event in events:
            try:
                await self.intake.apply([event])
            except Exception as error:
                self._set_aside(event.position, error)
        await self.intake.apply([], read_through=through)

    def _set_aside(self, position: Any, error: Exception) -> None:
        log.error("the event at position %s cannot be applied, so notify passes over it: %s", position, error)
        self.metrics.passed_over.inc()

    def _observe(self) -> None:
        self.metrics.store_position.set(self.position or 0)
        self.metrics.store_head.set(self.head or 0)
        self.metrics.store_lag.set(self.lag or 0)
