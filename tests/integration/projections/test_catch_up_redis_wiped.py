"""Redis losing events (wiped mid-run, or before the projections ever read them): the figures still come out exact."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from projection_helpers import (
    SERVICE_KEY,
    Database,
    dump,
    ingest_settings,
    many,
    post,
    projections_settings,
    serving,
    store,
)
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.ingest.app import create_app as create_ingest
from services.projections.app import create_app
from services.projections.apply import apply_events
from services.projections.event_log import IngestEventLog
from services.projections.state import create_generation
from services.projections.tables import read_model

RAWS = many(600, seed=11)


async def test_redis_wiped_mid_run_is_survived_without_a_restart(
    own_redis: RedisServer, stream_prefix: str, database: Database, tmp_path: Path
) -> None:
    async with serving(create_ingest(ingest_settings(database, own_redis.url, stream_prefix, tmp_path))) as ingest:
        settings = projections_settings(database, own_redis.url, stream_prefix, ingest)
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
            await post(ingest, RAWS[:300])
            await eventually_async(lambda: _at(client, 300), "the first 300 events")
            own_redis.wipe()
            await post(ingest, RAWS[300:])
            ready = await eventually_async(lambda: _at(client, len(RAWS)), "every event after the wipe")
        assert ready["behind"] == "up to date"
        await _assert_same_as_the_log(database, ingest)


async def test_events_redis_lost_before_they_were_read_are_fetched_from_the_event_store(
    own_redis: RedisServer, stream_prefix: str, database: Database, tmp_path: Path
) -> None:
    async with serving(create_ingest(ingest_settings(database, own_redis.url, stream_prefix, tmp_path))) as ingest:
        await post(ingest, RAWS)
        await eventually_async(
            lambda: _published(own_redis.url, stream_prefix, len(RAWS)), "ingest to publish everything"
        )
        own_redis.wipe()
        settings = projections_settings(database, own_redis.url, stream_prefix, ingest)
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
            await eventually_async(lambda: _at(client, len(RAWS)), "the lost events to be read back from ingest")
            metrics = (await client.get("/metrics")).text
        assert _filled(metrics) > 0
        await _assert_same_as_the_log(database, ingest)


async def _published(redis_url: str, prefix: str, head: int) -> bool:
    redis = Redis.from_url(redis_url)
    published = await redis.get(f"{prefix}head")
    await redis.aclose()
    await asyncio.sleep(0.2)  # and the relay has noted it in the event store
    return published is not None and int(published) == head


def _filled(metrics: str) -> float:
    lines = metrics.splitlines()
    return float(next(line for line in lines if line.startswith("projections_events_filled_total")).split()[1])


async def _at(client: httpx.AsyncClient, position: int) -> dict[str, Any] | None:
    body: dict[str, Any] = (await client.get("/readyz")).json()
    return body if body.get("position") == position and body.get("lag") == 0 else None


async def _assert_same_as_the_log(database: Database, ingest: str) -> None:
    async with store(database) as engine:
        await _apply_the_log_into(engine, ingest, 9)
        assert await dump(engine, 1) == await dump(engine, 9)


async def _apply_the_log_into(engine: AsyncEngine, ingest: str, generation: int) -> None:
    log = IngestEventLog(ingest, SERVICE_KEY)
    await create_generation(engine, generation)
    await apply_events(engine, read_model(generation), await log.read(0, 10_000))
    await log.aclose()
