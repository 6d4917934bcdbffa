"""The consumers' handler: apply a batch to whichever generation is live, and count it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events import Event

from .apply import apply_events
from .live import LiveGeneration
from .metrics import Metrics
from .tables import read_model


class Projector:
    def __init__(self, engine: AsyncEngine, live: LiveGeneration, metrics: Metrics | None = None) -> None:
        self.engine, self.live, self.metrics = engine, live, metrics or Metrics()

    async def handle(self, events: Sequence[Event]) -> None:
        started = time.perf_counter()
        new = await apply_events(self.engine, read_model(await self.live.get()), events)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self.metrics.applied.inc(new)
        self.metrics.duplicates.inc(len(events) - new)
