"""A token bucket per API key: each key may make `per_minute` requests a minute, in bursts up to that many."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests for this API key; try again in {retry_after} second(s)")
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    per_minute: int
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def take(self, key_name: str) -> None:
        now = time.monotonic()
        bucket = self._buckets.setdefault(key_name, _Bucket(float(self.per_minute), now))
        rate = self.per_minute / 60
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens < 1:
            raise RateLimited(max(1, math.ceil((1 - bucket.tokens) / rate)))
        bucket.tokens -= 1
