"""The outbox of alert outcomes: what ingest refuses for good is set aside, and never stops the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from notify_harness import Notify, joined, published
from notify_ingest import AUTH, KEY, ingest_on_a_port

from services.notify.metrics import Metrics
from services.notify.relay import OutboxRelay
from services.notify.tables import deliveries, outbox, outbox_set_aside
from shared.events import cloud_event


def sent(notification_id: str, champion_id: str = "c1", **data: Any) -> dict[str, Any]:
    data = {
        "notification_id": notification_id,
        "opportunity_id": "o1",
        "champion_id": champion_id,
        "channel": "email",
        "sent_at": "2026-06-01T11:00:00+00:00",
        **data,
    }
    return cloud_event("notification.sent", data, id=notification_id, source="urn:coprod:notify",
                       time="2026-06-01T11:00:00+00:00")


async def test_a_conflicting_or_invalid_outcome_is_set_aside_and_the_rest_reach_the_record(
    database: Any, redis_url: str, stream_prefix: str, system: Notify, tmp_path: Path
) -> None:
    async with (
        ingest_on_a_port(database, redis_url, stream_prefix, tmp_path) as ingest_url,
        httpx.AsyncClient(base_url=ingest_url, headers=AUTH) as ingest,
    ):
        already = sent("ntf-already")
        squatted = sent("ntf-squatted", champion_id="someone-else")
        assert (await ingest.post("/v1/events", json=[already, squatted])).status_code == 202
        invalid = sent("ntf-invalid")
        del invalid["data"]["champion_id"]
        await _queue(system, sent("ntf-before"), already, sent("ntf-squatted"), invalid, sent("ntf-after"))
        metrics = Metrics()
        async with httpx.AsyncClient(timeout=5) as client:
            relay = OutboxRelay(system.engine, client, ingest_url, KEY, metrics)
            assert await relay.relay_once() == 5
            await _queue(system, sent("ntf-later"))
            assert await relay.relay_once() == 1
        recorded = {e["id"]: e["data"]["champion_id"] for e in (await ingest.get("/v1/events")).json()["events"]}
    assert recorded == {
        "ntf-already": "c1",
        "ntf-squatted": "someone-else",
        "ntf-before": "c1",
        "ntf-after": "c1",
        "ntf-later": "c1",
    }
    async with system.engine.connect() as conn:
        aside = {r.event["id"]: r.status for r in await conn.execute(sa.select(outbox_set_aside))}
        left = (await conn.execute(sa.select(sa.func.count()).select_from(outbox))).scalar()
    assert aside == {"ntf-squatted": 409, "ntf-invalid": 422} and left == 0
    for status in ("409", "422"):
        assert metrics.registry.get_sample_value("notify_outcomes_set_aside_total", {"status": status}) == 1


async def test_a_notification_id_cannot_be_worked_out_from_the_opportunity_and_champion(system: Notify) -> None:
    await system.feed(joined("c1"), published("o1"))
    first = await _ids(system)
    await system.feed(published("o1"))
    assert await _ids(system) == first, "stable for one delivery"
    async with system.engine.begin() as conn:
        await conn.execute(deliveries.delete())
    await system.feed(published("o1"))
    again = await _ids(system)
    assert len(again) == 1 and again != first


async def _ids(system: Notify) -> list[str]:
    async with system.engine.connect() as conn:
        return list((await conn.execute(sa.select(deliveries.c.notification_id))).scalars())


async def _queue(system: Notify, *events: dict[str, Any]) -> None:
    async with system.engine.begin() as conn:
        await conn.execute(outbox.insert(), [{"event": e} for e in events])
