"""Notify's parts wired as the app wires them, against a test's own store, SMTP sink, HTTP double and clock."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notify import store
from services.notify.assembly import build_delivering
from services.notify.clock import ManualClock
from services.notify.contacts import ContactDetails, Sealer
from services.notify.delivering import Delivering
from services.notify.dispatcher import DispatchConfig, Dispatcher
from services.notify.intake import Intake
from services.notify.metrics import Metrics
from services.notify.migrate import upgrade
from services.notify.settings import NotifySettings
from services.notify.tables import deliveries
from shared.db import make_engine
from shared.events import cloud_event, parse_event

MONDAY_NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)
_positions = itertools.count(1)


def event(type_: str, data: dict[str, Any], time: datetime = MONDAY_NOON) -> dict[str, Any]:
    return cloud_event(type_, data, id=f"e{next(_positions)}", source="urn:test", time=time) | {
        "position": next(_positions)
    }


def joined(champion_id: str, role: str = "customer", **prefs: Any) -> dict[str, Any]:
    return event("champion.joined", {"champion_id": champion_id, "role": role, "joined_on": "2025-01-01", **prefs})


def published(opportunity_id: str, scope: str = "national", **more: Any) -> dict[str, Any]:
    data = {
        "opportunity_id": opportunity_id,
        "title": f"Opportunity {opportunity_id}",
        "summary": "Help us choose",
        "scope": scope,
        "closes_on": "2030-01-31",
        **more,
    }
    return event("opportunity.published", data)


def settings_for(url: str, schema: str | None, smtp_url: str, **over: Any) -> NotifySettings:
    base: dict[str, Any] = {
        "database_url": url,
        "database_schema": schema,
        "smtp_url": smtp_url,
        "contact_key": Fernet.generate_key().decode(),
        "webhook_secret": "test-webhook-secret",
        "allow_private_webhooks": True,
        "retry_base_seconds": 10,
        "max_attempts": 3,
        "smtp_connections": 2,
    }
    return NotifySettings(**(base | over))


@dataclass
class Notify:
    engine: AsyncEngine
    settings: NotifySettings
    clock: ManualClock
    delivering: Delivering
    intake: Intake

    def dispatcher(self, worker: str = "w1", batch: int = 500) -> Dispatcher:
        config = DispatchConfig(worker, timedelta(seconds=60), batch, 0.05)
        return Dispatcher(self.engine, self.delivering, self.clock, config, Metrics())

    async def feed(self, *raw: dict[str, Any]) -> None:
        await self.intake([parse_event(r, position=r["position"]) for r in raw])

    async def contact(self, champion_id: str, **details: str) -> None:
        await self.contacts({champion_id: details})

    async def contacts(self, details: dict[str, dict[str, str]]) -> None:
        sealer = Sealer(self.settings.contact_key.get_secret_value())  # type: ignore[union-attr]
        async with self.engine.begin() as conn:
            for champion_id, given in details.items():
                checked = ContactDetails.model_validate(given, context={"allow_http": True})
                await store.save_contact(conn, champion_id, sealer.seal(checked), self.clock.now())

    async def statuses(self) -> dict[tuple[str, str], str]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(deliveries.c.opportunity_id, deliveries.c.champion_id, deliveries.c.status)
            )
            return {(r.opportunity_id, r.champion_id): r.status for r in rows}


@asynccontextmanager
async def notify(url: str, schema: str | None, smtp_url: str, **over: Any) -> AsyncIterator[Notify]:
    settings = settings_for(url, schema, smtp_url, **over)
    engine = make_engine(url, schema)
    await upgrade(engine, schema)
    clock = ManualClock(MONDAY_NOON)
    async with httpx.AsyncClient(timeout=5) as client:
        delivering, email = build_delivering(settings, engine, client, clock)
        try:
            yield Notify(engine, settings, clock, delivering, Intake(engine, delivering.timetable, clock, lambda: None))
        finally:
            await email.close()
            await engine.dispose()
