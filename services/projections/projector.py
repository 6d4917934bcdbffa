"""The consumers' handler: apply batches to whichever generation is live, several streams' batches in one commit.

Each stream's subscriber hands over its batch and waits; batches that arrive while a transaction is running
are applied together in the next one (writers of a generation take turns anyway), so seven streams cost
one commit, not seven. If a joint batch fails, every waiting caller sees the failure and retries on its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from .apply import apply_facts
from .folds import Fact
from .live import LiveGeneration
from .metrics import Metrics
from .tables import read_model

Waiting = list[tuple[Sequence[Fact], asyncio.Future[None]]]


class Projector:
    def __init__(
        self,
        engine: AsyncEngine,
        live: LiveGeneration,
        metrics: Metrics | None = None,
        on_applied: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine, self.live, self.metrics, self.on_applied = engine, live, metrics or Metrics(), on_applied
        self._waiting: Waiting = []
        self._turn = asyncio.Lock()

    async def handle(self, facts: Sequence[Fact]) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((facts, done))
        async with self._turn:
            if not done.done():
                await self._apply_waiting()
        await done

    async def _apply_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        facts = [fact for batch, _ in waiting for fact in batch]
        started = time.perf_counter()
        try:
            new = await apply_facts(self.engine, read_model(await self.live.get()), facts)
        except Exception as error:
            for _, done in waiting:
                done.set_exception(error)
            return
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self.metrics.applied.inc(new)
        self.metrics.duplicates.inc(len(facts) - new)
        for _, done in waiting:
            done.set_result(None)
        self.on_applied()
