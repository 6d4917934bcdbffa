"""The consumers' handler: apply facts to whichever generation is live, and count what was applied.

The consumer hands over everything its streams queued meanwhile, so several streams' batches cost one commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from .apply import apply_facts
from .folds import Fact
from .live import LiveGeneration
from .metrics import Metrics
from .tables import read_model


class Projector:
    def __init__(
        self,
        engine: AsyncEngine,
        live: LiveGeneration,
        metrics: Metrics | None = None,
        on_applied: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine, self.live, self.metrics, self.on_applied = engine, live, metrics or Metrics(), on_applied

    async def handle(self, facts: Sequence[Fact]) -> None:
        started = time.perf_counter()
        new = await apply_facts(self.engine, read_model(await self.live.get()), facts)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self.metrics.applied.inc(new)
        self.metrics.duplicates.inc(len(facts) - new)
        self.on_applied()
