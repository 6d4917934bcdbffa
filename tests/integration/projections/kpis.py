"""The projections app in-process, events applied straight into its live generation, and its KPI answers."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from services.projections.app import create_app
from services.projections.apply import apply_events
from services.projections.settings import ProjectionsSettings
from services.projections.state import live_generation
from services.projections.tables import read_model
from shared.auth import ApiKey
from shared.events import Event, cloud_event, parse_event

READ_KEY = "read-key-for-the-kpi-tests"
WRITE_KEY = "write-key-for-the-kpi-tests"
YEAR = {"from": "2025-04-01", "to": "2026-03-31"}


@dataclass
class Events:
    """Builds stored events with positions 1, 2, 3… in the order they are added."""

    made: list[Event] = field(default_factory=list)

    def add(self, type_: str, when: str = "2025-06-01T10:00:00Z", **data: Any) -> Event:
        raw = cloud_event(type_, data, id=uuid.uuid4().hex, source="urn:test", time=when)
        made = parse_event(raw, position=len(self.made) + 1)
        self.made.append(made)
        return made


@dataclass
class Kpis:
    engine: AsyncEngine
    client: httpx.AsyncClient

    async def apply(self, events: Events | list[Event]) -> None:
        made = events.made if isinstance(events, Events) else events
        await apply_events(self.engine, read_model(await live_generation(self.engine)), made)

    async def get(self, path: str, **params: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/kpis/{path}", params={**YEAR, **params})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def summary(self, **params: str) -> dict[str, Any]:
        return await self.get("summary", **params)


def settings_for(database_url: str, schema: str | None, redis_url: str, prefix: str) -> ProjectionsSettings:
    keys = [
        ApiKey(name="dashboard", key=SecretStr(READ_KEY), scopes=["read"]),
        ApiKey(name="upstream", key=SecretStr(WRITE_KEY), scopes=["write"]),
    ]
    return ProjectionsSettings(
        database_url=database_url, database_schema=schema, redis_url=redis_url, stream_prefix=prefix,
        api_keys=keys, ingest_url="http://127.0.0.1:9",
    )


@contextlib.asynccontextmanager
async def running(settings: ProjectionsSettings) -> AsyncIterator[Kpis]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {READ_KEY}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://projections", headers=headers) as client:
            yield Kpis(app.state.engine, client)
