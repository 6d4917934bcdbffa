"""notification.sent / .failed events reach ingest through an outbox table, so an ingest outage loses none."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import httpx
import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .deliveries import Outcome
from .outcomes import report
from .tables import outbox

log = logging.getLogger(__name__)


async def add_to_outbox(conn: AsyncConnection, outcomes: Sequence[Outcome]) -> None:
    events = [{"event": event} for o in outcomes if (event := report(o, "email")) is not None]
    if events:
        await conn.execute(outbox.insert(), events)


class OutboxRelay:
    """Posts the outbox to ingest in batches; the event id is the notification id, so a re-post is a duplicate."""

    def __init__(
        self, engine: AsyncEngine, client: httpx.AsyncClient, ingest_url: str, api_key: str | None, batch: int = 500
    ) -> None:
        self.engine, self.client, self.batch = engine, client, batch
        self.url = ingest_url.rstrip("/") + "/v1/events"
        self.headers = {"Content-Type": "application/cloudevents-batch+json", "Authorization": f"Bearer {api_key}"}
        self.last_error: str | None = None

    async def run(self, idle_seconds: float = 0.5, max_backoff: float = 30.0) -> None:
        backoff = idle_seconds
        while True:
            try:
                moved = await self.relay_once()
                backoff, self.last_error = idle_seconds, None
            except (httpx.HTTPError, OSError, RuntimeError) as error:
                self.last_error = f"{type(error).__name__}: {error}"
                log.warning("could not pass alert outcomes to ingest (%s); trying again in %.0fs", error, backoff)
                moved, backoff = 0, min(max_backoff, backoff * 2)
            if not moved:
                await asyncio.sleep(backoff)

    async def relay_once(self) -> int:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(outbox).order_by(outbox.c.id).limit(self.batch))).all()
        if not rows:
            return 0
        response = await self.client.post(self.url, content=orjson.dumps([r.event for r in rows]), headers=self.headers)
        if response.status_code == 422:
            log.error("ingest refused alert outcome events, so they are dropped: %s", response.text[:500])
        elif response.status_code != 202:
            raise RuntimeError(f"ingest answered {response.status_code}")
        async with self.engine.begin() as conn:
            await conn.execute(outbox.delete().where(outbox.c.id.in_([r.id for r in rows])))
        return len(rows)
