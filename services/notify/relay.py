"""notification.sent / .failed events reach ingest through an outbox table, so an ingest outage loses none.

Ingest answers a batch as a whole. "Already recorded, same content" comes back as a duplicate in a 202, so
a re-post is done. A 409 (an event under notify's source and id with other content) or a 422 refuses the
whole batch: the batch is split until the refused events are alone, those are set aside (a table, the log,
`/metrics`), and the rest are recorded. Anything else (ingest away, 5xx, 429) is retried as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.backoff import Backoff
from shared.ingest_client import IngestClient

from .deliveries import Outcome
from .metrics import Metrics
from .outcomes import report
from .tables import outbox, outbox_set_aside

log = logging.getLogger(__name__)
REFUSED_FOR_GOOD = (409, 422)


async def add_to_outbox(conn: AsyncConnection, outcomes: Sequence[Outcome]) -> None:
    events = [{"event": event} for o in outcomes if (event := report(o, "email")) is not None]
    if events:
        await conn.execute(outbox.insert(), events)


@dataclass(frozen=True)
class Refusal:
    row: Any
    status: int
    reason: str


class OutboxRelay:
    """Posts the outbox to ingest in batches; the event id is the notification id, so a re-post is a duplicate."""

    def __init__(
        self,
        engine: AsyncEngine,
        client: httpx.AsyncClient,
        ingest_url: str,
        api_key: str | None,
        metrics: Metrics,
        batch: int = 500,
    ) -> None:
        self.engine, self.client, self.metrics, self.batch = engine, client, metrics, batch
        self.ingest = IngestClient(ingest_url, client)
        self.headers = {"Content-Type": "application/cloudevents-batch+json", "Authorization": f"Bearer {api_key}"}
        self.last_error: str | None = None

    async def run(self, idle_seconds: float = 0.5, max_backoff: float = 30.0) -> None:
        backoff = Backoff(idle_seconds, max_backoff)
        while True:
            try:
                moved = await self.relay_once()
                self.last_error = None
                backoff.reset()
                wait = idle_seconds
            except (httpx.HTTPError, OSError, RuntimeError) as error:
                self.last_error = f"{type(error).__name__}: {error}"
                moved, wait = 0, backoff.wait()
                log.warning("could not pass alert outcomes to ingest (%s); trying again in %.0fs", error, wait)
            if not moved:
                await asyncio.sleep(wait)

    async def relay_once(self) -> int:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(outbox).order_by(outbox.c.id).limit(self.batch))).all()
        if not rows:
            return 0
        refused = await self._post(rows)
        async with self.engine.begin() as conn:
            if refused:
                await conn.execute(outbox_set_aside.insert(), [_set_aside(r) for r in refused])
            await conn.execute(outbox.delete().where(outbox.c.id.in_([r.id for r in rows])))
        for refusal in refused:
            log.error(
                "ingest refused the outcome event %s (%d), so it is set aside in notify_outbox_set_aside: %s",
                refusal.row.event.get("id"),
                refusal.status,
                refusal.reason,
            )
            self.metrics.set_aside.labels(str(refusal.status)).inc()
        return len(rows)

    async def _post(self, rows: Sequence[Any]) -> list[Refusal]:
        """Post `rows`; the ones ingest refuses for good, each found by splitting the batch until it is alone."""
        body = orjson.dumps([r.event for r in rows])
        response = await self.ingest.post("/v1/events", content=body, headers=self.headers)
        if response.status_code == 202:
            return []
        if response.status_code not in REFUSED_FOR_GOOD:
            raise RuntimeError(f"ingest answered {response.status_code}")
        if len(rows) == 1:
            return [Refusal(rows[0], response.status_code, response.text[:2000])]
        half = len(rows) // 2
        return await self._post(rows[:half]) + await self._post(rows[half:])


def _set_aside(refusal: Refusal) -> dict[str, Any]:
    return {
        "event": refusal.row.event,
        "status": refusal.status,
        "reason": refusal.reason,
        "set_aside_at": datetime.now(UTC),
    }
