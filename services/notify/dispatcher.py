"""The send loop: claim due deliveries, send them, record what happened. Several may run at once.

A delivery is claimed (status `sending`, a lease) in its own commit before anything is sent, so two
dispatchers never hold the same one. Each is then marked in flight just before it goes, and its outcome
committed as soon as the channel answers (`Ledger`). If the process dies between a channel accepting a
message and that commit, the lease runs out and the alert is sent again, marked as possibly sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from .clock import Clock
from .deliveries import Claimed, claim, counts_by_status
from .delivering import Delivering, Planner
from .ledger import Ledger
from .metrics import Metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchConfig:
    worker: str
    lease: timedelta
    batch: int
    idle_seconds: float
    pipelines: int = 2
    """Send loops in this process: while one sends, another claims and plans the next batch."""


class Dispatcher:
    def __init__(
        self, engine: AsyncEngine, delivering: Delivering, clock: Clock, config: DispatchConfig, metrics: Metrics
    ) -> None:
        self.engine, self.delivering, self.clock, self.config, self.metrics = engine, delivering, clock, config, metrics
        self.ledger = Ledger(engine, config.lease, clock, metrics)
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
            planner = await self.delivering.plan(claimed, now)
            await planner.deliver(self.ledger)
        return len(claimed)

    async def drain(self) -> int:
        """Deal with everything due now (tests and the bench)."""
        return sum(await asyncio.gather(*(self._drain_one() for _ in range(self.config.pipelines))))

    async def _drain_one(self) -> int:
        total = 0
        while done := await self.pass_once():
            total += done
        return total

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
