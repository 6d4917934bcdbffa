"""Small helpers the demo generator shares: numbered events, dates inside the year, weighted choices."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.events import cloud_event

SOURCE = "urn:demo:coprod-sample-year"
"""Not under urn:coprod: (coprod's own record, the internal key's alone): `coprod demo` sends with your key."""


def financial_year_start(today: date) -> date:
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


@dataclass
class Maker:
    """Makes CloudEvents with ids numbered in order, so the same seed gives byte-for-byte the same events."""

    rng: random.Random
    year_start: date
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def year_end(self) -> date:
        return date(self.year_start.year + 1, 3, 31)

    def add(self, event_type: str, on: date, data: Mapping[str, Any], hour: int = 10) -> dict[str, Any]:
        event = cloud_event(
            event_type,
            {key: value for key, value in data.items() if value is not None},
            id=f"demo-{self.year_start.year}-{len(self.events) + 1:05d}",
            source=SOURCE,
            time=f"{on.isoformat()}T{hour:02d}:{self.rng.randrange(60):02d}:00Z",
        )
        self.events.append(event)
        return event

    def day(self, after: date | None = None, within: int | None = None) -> date:
        """A day in the year (or in `within` days after `after`), never past the year's end."""
        first = after or self.year_start
        span = (self.year_end - first).days if within is None else within
        return min(first + timedelta(days=self.rng.randint(0, max(span, 0))), self.year_end)

    def weighted(self, weights: Mapping[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def some(self, items: tuple[str, ...], most: int) -> list[str]:
        return sorted(self.rng.sample(items, self.rng.randint(1, most)))


def iso(day: date) -> str:
    return day.isoformat()
