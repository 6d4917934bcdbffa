"""The send loop: claim due deliveries, send them, record what happened. Several may run at once.

A delivery is claimed (status `sending`, a lease) in its own commit before anything is sent, so two
dispatchers never hold the same one. Outcomes are committed in small chunks right after the provider
answers: if the process dies between a provider accepting a message and that commit, the lease runs
out and the alert is sent a second time. That window is one chunk's sending time, and no longer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from .clock import Clock
from .deliveries import Claimed, Outcome, claim, counts_by_status, settle
from .delivering import Delivering, Planner
from .metrics import Metrics
from .relay import add_to_outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchConfig:
    worker: str
    lease: timedelta
    batch: int
    chunk: int
    idle_seconds: float
    pipelines: int = 2
    """Send loops in this process: while one sends, another claims and plans the next batch."""


class Dispatcher:
    def __init__(
        self, engine: AsyncEngine, delivering: Delivering, clock: Clock, config: DispatchConfig, metrics: Metrics
    ) -> None:
        self.engine, self.delivering, self.clock, self.config, self.metrics = engine, delivering, clock, config, metrics
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        await asyncio.gather(*(self._loop() for _ in range(self.config.pipelines)))

    async def _loop(self) -> None:
        while True:
            try:
                done = await self.pass_once()
            except Exception:
                log.warning("sending alerts failed; trying again shortly", exc_info=True)
                done = 0
            if not done:
                await self._idle()

    async def pass_once(self) -> int:
        """Claim and deal with one batch of due deliveries; how many were claimed."""
        now = self.clock.now()
        async with self.engine.begin() as conn:
            claimed = await claim(conn, self.config.worker, now, self.config.lease, self.config.batch)
        if claimed:
            await self._deliver(await self.delivering.plan(claimed, now))
        return len(claimed)

    async def _deliver(self, planner: Planner) -> None:
        """Send chunk by chunk; each chunk's outcomes are committed while the next chunk is being sent."""
        settling: asyncio.Task[None] | None = None
        for start in range(0, len(planner.groups), self.config.chunk):
            outcomes = await planner.deliver(planner.groups[start : start + self.config.chunk])
            if settling is not None:
                await settling
            settling = asyncio.create_task(self._settle(outcomes))
        if settling is not None:
            await settling

    async def drain(self) -> int:
        """Deal with everything due now (tests and the bench)."""
        return sum(await asyncio.gather(*(self._drain_one() for _ in range(self.config.pipelines))))

    async def _drain_one(self) -> int:
        total = 0
        while done := await self.pass_once():
            total += done
        return total

    async def _settle(self, outcomes: Sequence[Outcome]) -> None:
        async with self.engine.begin() as conn:
            await settle(conn, self.config.worker, outcomes)
            await add_to_outbox(conn, outcomes)
        self._count(outcomes)

    def _count(self, outcomes: Sequence[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "sent":
                self.metrics.sent.labels(outcome.channel or "").inc()
            elif outcome.status == "failed":
                self.metrics.failed.inc()
            elif outcome.status == "held":
                self.metrics.held.inc()
            elif outcome.status == "skipped":
                self.metrics.skipped.inc()

    async def _idle(self) -> None:
        async with self.engine.connect() as conn:
            counts = await counts_by_status(conn)
        self.metrics.queue.set(counts.get("pending", 0) + counts.get("held", 0))
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self.config.idle_seconds)
        except TimeoutError:
            pass


__all__ = ["Claimed", "DispatchConfig", "Dispatcher", "Planner"]
