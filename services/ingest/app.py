"""The ingest ASGI app: its lifespan is the composition root (engine, store, Redis, writer, relay)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from redis.asyncio import Redis

from shared.db import make_engine
from shared.http import health_router, service_app
from shared.personal_data import normalised
from shared.tasks import stop_tasks

from . import people_routes, routes, rows_routes, schema_routes
from .content import Limits
from .errors import install_ingest_error_handlers
from .group_commit import GroupCommitter
from .migrate import upgrade
from .pseudonyms import Door
from .relay import Relay
from .runtime import Runtime
from .settings import IngestSettings
from .store import EventStore

DESCRIPTION = """Takes coprod's events in (CloudEvents 1.0, one or a batch), stores each once in the event store and
relays it to Redis Streams; reads the event log back out. The contract of every event type is under
`/v1/schemas`. Press **Authorize** and paste your API key (`coprod up` prints a development key) to try a route.
Every error is a problem details document (RFC 9457, `application/problem+json`)."""


def create_app(settings: IngestSettings) -> FastAPI:
    app = service_app("coprod ingest", _lifespan, DESCRIPTION)
    app.state.settings = settings
    install_ingest_error_handlers(app)
    app.include_router(routes.router)
    app.include_router(rows_routes.router)
    app.include_router(schema_routes.router)
    app.include_router(people_routes.router)
    app.include_router(health_router(lambda: _runtime_of(app).readiness()))
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: IngestSettings = app.state.settings
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    await upgrade(engine, settings.database_schema)
    await asyncio.to_thread(normalised, "é")  # builds the guard's table of invisible characters before any request
    redis = Redis.from_url(settings.redis_url)
    app.state.ingest = ingest = _build_runtime(settings, EventStore(engine), redis)
    tasks = [
        asyncio.create_task(ingest.committer.run(), name="ingest-group-commit"),
        asyncio.create_task(ingest.relay.run(settings.relay_max_backoff_seconds), name="ingest-relay"),
    ]
    try:
        yield
    finally:
        await _drain(ingest)
        await stop_tasks(tasks)
        await redis.aclose()
        await ingest.store.close()
        await engine.dispose()


def _build_runtime(settings: IngestSettings, store: EventStore, redis: Redis) -> Runtime:
    relay = Relay(store, redis, settings.stream_prefix, settings.relay_batch, settings.relay_idle_seconds)
    store.on_append = relay.committed
    return Runtime(
        store=store,
        committer=GroupCommitter(Door(store), settings.group_commit_max_events, relay.wake),
        relay=relay,
        redis=redis,
        limits=Limits(settings.max_batch_events, settings.max_body_bytes, settings.max_text_characters),
    )


async def _drain(ingest: Runtime) -> None:
    """Give the relay a moment to publish what was just committed before the process stops."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(ingest.relay.finish(), timeout=2)


def _runtime_of(app: FastAPI) -> Runtime:
    found: Runtime = app.state.ingest
    return found
