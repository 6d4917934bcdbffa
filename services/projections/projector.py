"""The consumers' handler: apply facts to whichever generation is live, and count what was applied.

The consumer hands over everything its streams queued meanwhile, so several streams' batches cost one commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from .apply import apply_facts
from .folds import Fact
from .live import LiveGeneration
from .metrics import Metrics
from .set_aside import set_aside, set_aside_of
from .tables import read_model

log = logging.getLogger(__name__)


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

    async def set_aside(self, body: dict[str, Any], reason: str) -> None:
        """An entry the consumer gave up on: passed by the live generation's watermark from now on."""
        if (event := set_aside_of(body, reason)) is not None:
            await set_aside(self.engine, read_model(await self.live.get()), [event])
            log.error("set aside: the event at %s", event)
