"""The projections ASGI app: its lifespan is the composition root (engine, Redis, consumer, catch-up)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.consuming import ConsumerConfig, StreamConsumer
from shared.db import make_engine
from shared.http import health_router, service_app
from shared.streams import all_streams, dead_letter_stream
from shared.tasks import stop_tasks

from . import as_of_routes, dead_letter_routes, ladder_move_routes, menu_routes, routes, training_module_routes
from .apply import entry_fact
from .catch_up import CatchUp
from .event_log import IngestEventLog
from .live import LiveGeneration
from .metrics import Metrics, observe_streams
from .migrate import upgrade
from .projector import Projector
from .set_aside import counted
from .settings import ProjectionsSettings
from .state import create_generation, progress
from .tables import read_model
from .upgrade import Upgrade
from .views_cache import Answers

GROUP = "projections"
log = logging.getLogger(__name__)


DESCRIPTION = """The figures a co-production officer reports (KPIs), as JSON or CSV, for a period and narrowed by
region, service or service type (`GET /v1/kpis/dimensions` lists the values), and the Menu of Involvement
(`GET /v1/menu`: the opportunities open today, with their public details). Press **Authorize** and paste
your API key to try a route. Every error is a problem details document (RFC 9457,
`application/problem+json`)."""


def create_app(settings: ProjectionsSettings) -> FastAPI:
    app = service_app("coprod projections", _lifespan, DESCRIPTION)
    app.state.settings = settings
    app.state.metrics = metrics = Metrics()
    app.state.answers = Answers()
    app.include_router(dead_letter_routes.router)
    app.include_router(as_of_routes.router)
    app.include_router(routes.router)
    app.include_router(training_module_routes.router)
    app.include_router(ladder_move_routes.router)
    app.include_router(menu_routes.router)
    app.include_router(health_router(lambda: _readiness(app), metrics.registry))
    return app


def open_engine(settings: ProjectionsSettings) -> AsyncEngine:
    return make_engine(
        settings.database_url_for("projections"), settings.database_schema,
        json_serializer=lambda value: orjson.dumps(value).decode(), json_deserializer=orjson.loads,
    )


async def open_store(settings: ProjectionsSettings) -> tuple[AsyncEngine, LiveGeneration]:
    """The engine, its fixed tables migrated and the live generation's tables created."""
    engine = open_engine(settings)
    await upgrade(engine, settings.database_schema)
    live = LiveGeneration(engine, settings.live_generation_ttl_seconds)
    await create_generation(engine, await live.get())
    return engine, live


def consumer_config(settings: ProjectionsSettings) -> ConsumerConfig:
    return ConsumerConfig(
        streams=all_streams(settings.stream_prefix),
        group=GROUP,
        consumer=f"{socket.gethostname()}-{os.getpid()}",
        dead_letters=dead_letter_stream(GROUP, settings.stream_prefix),
        batch_size=settings.batch_size,
        poll_ms=settings.poll_ms,
        claim_idle_ms=settings.claim_idle_ms,
        max_deliveries=settings.max_deliveries,
    )


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: ProjectionsSettings = app.state.settings
    metrics: Metrics = app.state.metrics
    engine, live = await open_store(settings)
    redis = Redis.from_url(settings.redis_url)
    config = consumer_config(settings)
    key = settings.service_api_key.get_secret_value() if settings.service_api_key else None
    events = IngestEventLog(settings.ingest_url, key)
    catch_up = CatchUp(
        engine, events, live, redis, prefix=settings.stream_prefix, dead_letters=config.dead_letters,
        gap_wait=settings.gap_wait_seconds, page=settings.fill_page, metrics=metrics,
    )
    app.state.upgrade = upgrade = Upgrade(engine, events, settings)
    projector = Projector(engine, live, metrics, on_applied=catch_up.nudge)
    consumer = StreamConsumer(redis, config, projector.handle, entry_fact, set_aside=projector.set_aside)
    await consumer.ensure_groups()
    await consumer.start()
    app.state.engine, app.state.redis, app.state.consumer_config = engine, redis, config
    tasks = [
        asyncio.create_task(catch_up.run(settings.progress_every_seconds), name="projections-catch-up"),
        asyncio.create_task(_observe(metrics, redis, config), name="projections-metrics"),
        asyncio.create_task(upgrade.run(), name="projections-upgrade"),
    ]
    try:
        yield
    finally:
        await stop_tasks(tasks)
        await consumer.stop()
        await events.aclose()
        await redis.aclose()
        await engine.dispose()


async def _observe(metrics: Metrics, redis: Redis, config: ConsumerConfig) -> None:
    while True:
        with contextlib.suppress(Exception):
            await observe_streams(metrics, redis, config.streams, config.group, config.dead_letters)
        await asyncio.sleep(2)


async def _readiness(app: FastAPI) -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    try:
        async with app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        now = await progress(app.state.engine)
        checks["database"] = "ok"
        checks.update(generation=now.generation, position=now.position, head=now.head, lag=now.lag)
        checks["behind"] = "up to date" if now.lag == 0 else f"{now.lag} events behind the event store"
        async with app.state.engine.connect() as conn:
            checks["set_aside"] = await counted(conn, read_model(now.generation))
        if checks["set_aside"]:
            checks["set_aside_events"] = (
                f"{checks['set_aside']} events could not be applied and were set aside; the figures went on past"
                " them (GET /v1/set-aside lists each, with why)"
            )
        if (rebuilding := await app.state.upgrade.rebuilding()) is not None:
            checks["rebuilding"] = rebuilding.reason
    except Exception as error:
        checks["database"] = f"not answering: {error}"
    try:
        await app.state.redis.ping()
        checks["redis"] = "ok"
    except Exception as error:
        checks["redis"] = f"not answering: {error}"
    return checks["database"] == "ok" and checks["redis"] == "ok" and "rebuilding" not in checks, checks
