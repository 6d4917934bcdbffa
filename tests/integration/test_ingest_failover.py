"""Projections and notify keep reaching ingest when one of the ingests in COPROD_INGEST_URL is stopped."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from coprod.environment import free_port
from coprod.processes import ServiceProcess, stop_all
from services.notify.metrics import Metrics
from services.notify.migrate import upgrade as upgrade_notify
from services.notify.relay import OutboxRelay
from services.notify.tables import outbox
from services.projections.event_log import IngestEventLog
from shared.db import make_engine
from shared.events import cloud_event

pytestmark = pytest.mark.slow

KEY = "failover-" + uuid.uuid4().hex
KEYS = [{"name": "all", "key": KEY, "sources": ["*"], "types": ["*"], "scopes": ["write", "read", "admin"]}]


@pytest.fixture
def two_ingests(database: Any, redis_url: str, stream_prefix: str, tmp_path: Path) -> Iterator[list[ServiceProcess]]:
    """Two real ingest processes on one event store, as two replicas behind COPROD_INGEST_URL."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    env.update(database.env)
    env.update(
        {
            "COPROD_REDIS_URL": redis_url,
            "COPROD_STREAM_PREFIX": stream_prefix,
            "COPROD_DATA_DIR": str(tmp_path),
            "COPROD_API_KEYS": json.dumps(KEYS),
            "COPROD_SERVICE_API_KEY": KEY,  # notify's outcomes are coprod's own events: the internal key sends them
            "PYTHONUNBUFFERED": "1",
        }
    )
    lines: list[str] = []
    ingests = [ServiceProcess("ingest", {**env, "COPROD_INGEST_PORT": str(free_port())}, lines.append) for _ in "ab"]
    for ingest in ingests:  # one at a time: the first makes the tables
        ingest.start()
        _wait_until_ready(ingest, lines)
    yield ingests
    stop_all(ingests, grace=5)


def _url(ingest: ServiceProcess) -> str:
    return f"http://127.0.0.1:{ingest.env['COPROD_INGEST_PORT']}"


def _wait_until_ready(ingest: ServiceProcess, lines: list[str]) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(_url(ingest) + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert ingest.exit_code is None and time.monotonic() < deadline, "\n".join(lines[-30:])
        time.sleep(0.2)


def _engagement(activity_id: str) -> dict[str, Any]:
    return cloud_event(
        "engagement.recorded",
        id=activity_id,
        source="urn:failover-test",
        time="2025-06-01T10:00:00Z",
        data={
            "activity_id": activity_id,
            "occurred_on": "2025-06-01",
            "activity_type": "meeting",
            "level": "co_producing",
            "mode": "face_to_face",
            "service_id": "svc-1",
            "customers_participating": 4,
        },
    )


def _sent(notification_id: str) -> dict[str, Any]:
    data = {
        "notification_id": notification_id,
        "opportunity_id": "opp-1",
        "champion_id": "cog-1",
        "channel": "email",
        "sent_at": "2025-06-01T10:00:00+00:00",
    }
    return cloud_event("notification.sent", data, id=notification_id, source="urn:coprod:notify",
                       time="2025-06-01T10:00:00Z")


def _stop(ingest: ServiceProcess) -> None:
    ingest.send(signal.SIGKILL)
    ingest.wait(time.monotonic() + 10)


async def test_projections_reads_the_event_log_from_the_ingest_still_running(two_ingests: list[ServiceProcess]) -> None:
    first, second = two_ingests
    batch = [_engagement(f"act-{n}") for n in range(3)]
    answer = httpx.post(
        _url(first) + "/v1/events",
        content=json.dumps(batch),
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/cloudevents-batch+json"},
    )
    assert answer.status_code == 202, answer.text
    events = IngestEventLog(f"{_url(first)},{_url(second)}", KEY)
    try:
        assert await events.head() == 3
        _stop(first)
        assert await events.head() == 3
        assert [event.id for event in await events.read(0, 10)] == ["act-0", "act-1", "act-2"]
    finally:
        await events.aclose()


async def test_notify_records_its_outcomes_through_the_ingest_still_running(
    two_ingests: list[ServiceProcess], database: Any
) -> None:
    first, second = two_ingests
    _stop(first)
    engine = make_engine(database.url, database.schema)
    try:
        await upgrade_notify(engine, database.schema)
        async with engine.begin() as conn:
            await conn.execute(outbox.insert(), [{"event": _sent(f"n-{n}")} for n in range(2)])
        async with httpx.AsyncClient(timeout=10) as client:
            relay = OutboxRelay(engine, client, f"{_url(first)}, {_url(second)}", KEY, Metrics())
            assert await relay.relay_once() == 2
        async with engine.connect() as conn:
            assert (await conn.execute(sa.select(sa.func.count()).select_from(outbox))).scalar_one() == 0
    finally:
        await engine.dispose()
    stored = httpx.get(_url(second) + "/v1/events", params={"after": 0}, headers={"Authorization": f"Bearer {KEY}"})
    assert [event["id"] for event in stored.json()["events"]] == ["n-0", "n-1"]
