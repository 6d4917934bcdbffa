"""The event store as projections and notify read it back: a small port, served over HTTP by ingest."""

from __future__ import annotations

from typing import Any, Protocol

import httpx
import orjson

from .events import Event, parse_event
from .ingest_client import IngestClient


class EventLog(Protocol):
    """The event store in position order (positions are gap-free, from 1)."""

    async def head(self) -> int:
        """The last position stored."""
        ...

    async def read(self, after: int, limit: int) -> list[Event]:
        """Up to `limit` events with positions after `after`, in position order."""
        ...

    async def read_stored(self, after: int, limit: int) -> list[dict[str, Any]]:
        """The same, as stored (JSON objects with their `position`), not checked again: for a rebuild."""
        ...


class IngestEventLog:
    """`GET /v1/events/head` and `GET /v1/events?after=&limit=` of ingest (any of them), with the service's API key."""

    def __init__(self, base_url: str, api_key: str | None, timeout: float = 30.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = IngestClient(base_url, httpx.AsyncClient(headers=headers, timeout=timeout))

    async def head(self) -> int:
        return int((await self._get("/v1/events/head", {}))["position"])

    async def read(self, after: int, limit: int) -> list[Event]:
        return [parse_event(raw, position=raw["position"]) for raw in await self.read_stored(after, limit)]

    async def read_stored(self, after: int, limit: int) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = (await self._get("/v1/events", {"after": after, "limit": limit}))["events"]
        return events

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _get(self, path: str, params: dict[str, int]) -> Any:
        response = await self._client.get(path, params=params)
        if response.status_code in (401, 403):
            raise PermissionError(
                f"ingest refused to let this service read the event log ({response.status_code}); "
                "set COPROD_SERVICE_API_KEY to a key with the 'read' scope"
            )
        response.raise_for_status()
        return orjson.loads(response.content)
