"""The honest version: `python -m services.projections` killed with SIGKILL while events flow, then restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from projection_helpers import (
    SERVICE_KEY,
    Database,
    dump,
    env_of,
    free_port,
    ingest_settings,
    many,
    post,
    projections_settings,
    serving,
    store,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.ingest.app import create_app as create_ingest
from services.projections.apply import apply_events
from services.projections.event_log import IngestEventLog
from services.projections.state import create_generation, progress
from services.projections.tables import read_model

RAWS = many(3000)


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "services.projections"], env={**os.environ, **env})


async def kill_after_some_work(worker: subprocess.Popen[bytes], engine: AsyncEngine, beyond: int) -> None:
    await eventually_async(lambda: _applied_beyond(engine, beyond), f"the worker to apply events past {beyond}", 30)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()


async def _applied_beyond(engine: AsyncEngine, position: int) -> bool:
    async with engine.connect() as conn:
        return bool(await conn.scalar(select(func.count()).select_from(read_model(1).facts)) > position)


async def test_sigkill_twice_mid_stream_counts_every_event_exactly_once(
    own_redis: RedisServer, stream_prefix: str, database: Database, tmp_path: Path
) -> None:
    async with serving(create_ingest(ingest_settings(database, own_redis.url, stream_prefix, tmp_path))) as ingest:
        settings = projections_settings(database, own_redis.url, stream_prefix, ingest, gap_wait_seconds=600)
        env = env_of(settings, free_port()) | {"COPROD_BATCH_SIZE": "50"}
        async with store(database) as engine:
            worker = start_worker(env)
            try:
                for chunk, beyond in ((0, 100), (1000, 1100), (2000, None)):
                    await post(ingest, RAWS[chunk : chunk + 1000])
                    if beyond is not None:
                        await kill_after_some_work(worker, engine, beyond)
                        worker = start_worker(env)
                await eventually_async(lambda: _caught_up(engine, len(RAWS)), "every event to be applied", 60)
            finally:
                worker.kill()
                worker.wait()
            await _apply_the_log_into(engine, ingest, 9)
            assert await dump(engine, 1) == await dump(engine, 9)


async def _caught_up(engine: AsyncEngine, head: int) -> bool:
    return (await progress(engine)).position == head


async def _apply_the_log_into(engine: AsyncEngine, ingest: str, generation: int) -> None:
    log = IngestEventLog(ingest, SERVICE_KEY)
    await create_generation(engine, generation)
    await apply_events(engine, read_model(generation), await log.read(0, 10_000))
    await log.aclose()
