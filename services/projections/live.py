"""Which generation the consumers apply to, read at most once a `ttl`, so they follow a rebuild's switch."""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncEngine

from .state import live_generation


class LiveGeneration:
    def __init__(self, engine: AsyncEngine, ttl: float = 0.25) -> None:
        self._engine, self._ttl = engine, ttl
        self._generation = 0
        self._read_at = float("-inf")

    async def get(self) -> int:
        if time.monotonic() - self._read_at > self._ttl:
            self._generation = await live_generation(self._engine)
            self._read_at = time.monotonic()
        return self._generation
