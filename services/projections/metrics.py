"""What `/metrics` shows: events applied, lag, batch time, dead letters, pending entries."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from redis.asyncio import Redis
from redis.exceptions import ResponseError


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.applied = Counter("projections_events_applied", "Events applied for the first time", registry=r)
        self.duplicates = Counter("projections_events_already_applied", "Events delivered again", registry=r)
        self.batch_seconds = Histogram("projections_batch_seconds", "Time to apply one batch and commit", registry=r)
        self.watermark = Gauge("projections_position", "Every event up to this position is applied", registry=r)
        self.head = Gauge("projections_head", "The event store's last position", registry=r)
        self.lag = Gauge("projections_lag_events", "Events stored but not yet in the figures", registry=r)
        self.dead_letters = Gauge("projections_dead_letters", "Events in the dead-letter stream", registry=r)
        self.pending = Gauge("projections_pending_entries", "Stream entries delivered but not acknowledged", registry=r)
        self.set_aside = Gauge(
            "projections_set_aside_events", "Events the live figures could not apply and went on past", registry=r
        )
        self.filled = Counter("projections_events_filled", "Events fetched from ingest to fill a gap", registry=r)


async def observe_streams(
    metrics: Metrics, redis: Redis, streams: Sequence[str], group: str, dead_letters: str
) -> None:
    pending = 0
    for stream in streams:
        with contextlib.suppress(ResponseError):
            pending += int((await redis.xpending(stream, group))["pending"])
    metrics.pending.set(pending)
    metrics.dead_letters.set(await redis.xlen(dead_letters))
