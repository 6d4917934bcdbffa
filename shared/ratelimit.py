"""Rate limits, counted in Redis (the `limits` library's sliding window) so that a limit holds across every process
of a service; while Redis does not answer, counted in this process alone, and `/readyz` says so."""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError

log = logging.getLogger(__name__)
RETRY_REDIS_SECONDS = 5.0


class RateLimited(Exception):
    def __init__(self, retry_after: int, whose: str) -> None:
        super().__init__(f"too many requests {whose}; try again in {retry_after} second(s)")
        self.retry_after = retry_after


class Throttle:
    """Requests per API key, and failed authentications per client address, each limited per minute."""

    def __init__(self, redis_url: str, prefix: str, service: str, per_minute: int, failed_per_minute: int) -> None:
        uri = "async+" + redis_url if redis_url.startswith(("redis://", "rediss://")) else redis_url
        self.shared = SlidingWindowCounterRateLimiter(_redis(uri, f"{prefix}ratelimit:{service}"))
        self.alone = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.per_key, self.per_failure = RateLimitItemPerMinute(per_minute), RateLimitItemPerMinute(failed_per_minute)
        self._redis_away_until = 0.0

    @property
    def where(self) -> str:
        if time.monotonic() < self._redis_away_until:
            return "counted in this process alone: Redis does not answer, so each process allows the full limit"
        return "shared in Redis by every process of this service"

    async def request(self, who: str, whose: str = "for this API key") -> None:
        await self._take(self.per_key, "key", who, whose=whose)

    async def failed_authentication(self, address: str) -> None:
        await self._take(self.per_failure, "failed", address, whose="with a missing or unknown API key from here")

    async def _take(self, item: RateLimitItem, *identifiers: str, whose: str) -> None:
        limiter = self.alone if time.monotonic() < self._redis_away_until else self.shared
        try:
            allowed = await limiter.hit(item, *identifiers)
        except StorageError:
            log.warning("Redis does not answer; rate limits are counted in this process alone for now")
            self._redis_away_until = time.monotonic() + RETRY_REDIS_SECONDS
            limiter = self.alone
            allowed = await limiter.hit(item, *identifiers)
        if not allowed:
            stats = await limiter.get_window_stats(item, *identifiers)
            raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())), whose)


def _redis(uri: str, prefix: str) -> Storage:
    return RedisStorage(
        uri, implementation="redispy", wrap_exceptions=True, key_prefix=prefix,
        socket_timeout=0.5, socket_connect_timeout=0.5,
    )
