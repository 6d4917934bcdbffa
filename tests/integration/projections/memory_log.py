"""The event store in memory, for rebuilds that need no ingest: the same events as applied live."""

from __future__ import annotations

from typing import Any

from shared.events import Event, parse_event


class MemoryLog:
    def __init__(self, raws: list[dict[str, Any]]) -> None:
        self.stored = [{**raw, "position": p} for p, raw in enumerate(raws, start=1)]

    async def head(self) -> int:
        return len(self.stored)

    async def read(self, after: int, limit: int) -> list[Event]:
        return [parse_event(raw, position=raw["position"]) for raw in await self.read_stored(after, limit)]

    async def read_stored(self, after: int, limit: int) -> list[dict[str, Any]]:
        return self.stored[after : after + limit]
