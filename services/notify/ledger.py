"""The send loop's commits, grouped: each alert's in-flight mark before it goes, each outcome once it is known.

A send waits for its own mark alone; whatever marks and outcomes arrive while one commit runs go into the next,
so the window in which a crash leaves the record behind the channel is one commit, never a batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from .clock import Clock
from .deliveries import Claimed, Outcome, mark_in_flight, settle
from .metrics import Metrics
from .relay import add_to_outbox


@dataclass
class _Waiting:
    marks: list[Claimed] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    done: list[asyncio.Future[set[int]]] = field(default_factory=list)


class Ledger:
    def __init__(self, engine: AsyncEngine, lease: timedelta, clock: Clock, metrics: Metrics) -> None:
        self.engine, self.lease, self.clock, self.metrics = engine, lease, clock, metrics
        self._waiting = _Waiting()
        self._flushing: asyncio.Task[None] | None = None

    async def in_flight(self, bundle: Sequence[Claimed]) -> set[int]:
        """Mark `bundle` as handed to its channel; the ids of those its claim still holds (only those may go)."""
        return await self._commit(marks=bundle)

    async def settle(self, outcomes: Sequence[Outcome]) -> None:
        if outcomes:
            await self._commit(outcomes=outcomes)

    async def _commit(self, marks: Sequence[Claimed] = (), outcomes: Sequence[Outcome] = ()) -> set[int]:
        done: asyncio.Future[set[int]] = asyncio.get_running_loop().create_future()
        self._waiting.marks += marks
        self._waiting.outcomes += outcomes
        self._waiting.done.append(done)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        while self._waiting.done:
            waiting, self._waiting = self._waiting, _Waiting()
            try:
                held = await self._write(waiting)
            except Exception as error:
                for done in waiting.done:
                    if not done.done():  # its sender may have been cancelled
                        done.set_exception(error)
                continue
            for done in waiting.done:
                if not done.done():
                    done.set_result(held)
            self._count(waiting.outcomes)

    async def _write(self, waiting: _Waiting) -> set[int]:
        async with self.engine.begin() as conn:
            await settle(conn, waiting.outcomes)
            await add_to_outbox(conn, waiting.outcomes)
            if not waiting.marks:
                return set()
            return await mark_in_flight(conn, waiting.marks, self.clock.now(), self.lease)

    def _count(self, outcomes: Sequence[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "sent":
                self.metrics.sent.labels(outcome.channel or "").inc()
            elif outcome.status in ("failed", "held", "skipped"):
                getattr(self.metrics, outcome.status).inc()
