"""`rebuild` replays the event store into fresh tables, swaps them in while serving, and gives the same figures."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from projection_helpers import (
    SERVICE_KEY,
    WRITER,
    Database,
    dump,
    env_of,
    free_port,
    ingest_settings,
    many,
    post,
    projections_settings,
    rebuild_command,
    serving,
    store,
)
from sqlalchemy import inspect
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.ingest.app import create_app as create_ingest
from services.projections.app import create_app
from services.projections.apply import apply_events
from services.projections.event_log import IngestEventLog
from services.projections.rebuild import rebuild
from services.projections.state import create_generation
from services.projections.tables import read_model

RAWS = many(1700, seed=3)
PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}


async def test_rebuild_gives_the_live_figures_and_swaps_in_while_serving(
    own_redis: RedisServer, stream_prefix: str, database: Database, tmp_path: Path
) -> None:
    async with serving(create_ingest(ingest_settings(database, own_redis.url, stream_prefix, tmp_path))) as ingest:
        settings = projections_settings(database, own_redis.url, stream_prefix, ingest)
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client, store(
            database
        ) as engine:
            await post(ingest, RAWS[:1500])
            await eventually_async(lambda: _ready_at(client, 1, 1500), "the live projection to catch up")
            live_rows, live_summary = await dump(engine, 1), await _summary(client)

            code, shown = await rebuild_command(env_of(settings, free_port()))
            assert code == 0 and "Rebuilt: generation 2 is live." in shown and "events/s" in shown, shown
            await eventually_async(lambda: _ready_at(client, 2, 1500), "the service to serve generation 2")
            assert await dump(engine, 2) == live_rows and await _summary(client) == live_summary
            assert not await _has_tables_of(engine, 1)

            log = IngestEventLog(ingest, SERVICE_KEY)
            rebuilding = asyncio.create_task(rebuild(engine, log, settings, show=False))
            await post(ingest, RAWS[1500:])
            assert await rebuilding == 3
            await eventually_async(lambda: _ready_at(client, 3, len(RAWS)), "the events sent during the rebuild")
            await create_generation(engine, 9)
            await apply_events(engine, read_model(9), await log.read(0, 10_000))
            await log.aclose()
            assert await dump(engine, 3) == await dump(engine, 9)


async def _ready_at(client: httpx.AsyncClient, generation: int, position: int) -> bool:
    body: dict[str, Any] = (await client.get("/readyz")).json()
    return body.get("generation") == generation and body.get("position") == position and body.get("lag") == 0


async def _summary(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/v1/kpis/summary", params=PERIOD, headers={"Authorization": f"Bearer {WRITER}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body.pop("as_of", None)
    return body


async def _has_tables_of(engine: Any, generation: int) -> bool:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    return any(name.startswith(f"projections_g{generation}_") for name in names)
