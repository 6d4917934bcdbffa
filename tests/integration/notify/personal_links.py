"""A running notify app (its lifespan, its dispatcher, its pages) for the tests of personal links."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from notify_doubles import SmtpSink
from notify_harness import event
from notify_ingest import notify_settings
from waiting import eventually_async

from services.notify import store
from services.notify.app import create_app
from services.notify.clock import ManualClock
from services.notify.contacts import ContactDetails
from services.notify.intake import Intake
from services.notify.tables import outbox
from shared.events import parse_event

LINK = re.compile(r"https?://\S+/(?:yes|choose|stop)/[A-Za-z0-9._-]+")


@dataclass
class Running:
    browser: httpx.AsyncClient
    app: Any
    clock: ManualClock
    smtp: SmtpSink

    @property
    def engine(self) -> Any:
        return self.app.state.notify.engine

    async def feed(self, *raw: dict[str, Any]) -> None:
        rt = self.app.state.notify
        intake = Intake(rt.engine, rt.timetable, self.clock, rt.dispatcher.wake)
        await intake([parse_event(r, position=r["position"]) for r in raw])

    async def contact(self, champion_id: str, email: str) -> None:
        rt = self.app.state.notify
        async with rt.engine.begin() as conn:
            await store.save_contact(conn, champion_id, rt.sealer.seal(ContactDetails(email=email)), self.clock.now())

    async def alerts_to(self, address: str, count: int = 1) -> list[EmailMessage]:
        async def arrived() -> list[EmailMessage] | None:
            await self.app.state.notify.dispatcher.drain()
            found = self.smtp.to(address)
            return found if len(found) >= count else None

        return await eventually_async(arrived, f"{count} alert(s) to {address}")

    async def recorded(self, type_: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(outbox.c.event))).scalars()
            return [e for e in rows if e["type"] == type_]


def links_in(smtp: SmtpSink, message: EmailMessage) -> dict[str, str]:
    """The personal links of an alert, by what they do."""
    return {url.split("/")[-2]: path_of(url) for url in LINK.findall(smtp.text(message))}


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def page_event(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return event(type_, data, datetime.now(UTC))


@asynccontextmanager
async def running(
    database: Any, redis_url: str, prefix: str, smtp: SmtpSink, tmp_path: Path, **over: Any
) -> AsyncIterator[Running]:
    settings = notify_settings(database, redis_url, prefix, "http://127.0.0.1:9", smtp, tmp_path)
    clock = ManualClock(datetime.now(UTC))
    app = create_app(settings.model_copy(update=over), clock)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify") as browser,
    ):
        yield Running(browser, app, clock, smtp)
