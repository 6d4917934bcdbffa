"""The notify ASGI app: its lifespan is the composition root (store, stream consumer, dispatcher, relay)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.consuming import ConsumerConfig, StreamConsumer, stored_event
from shared.db import make_engine
from shared.event_log import IngestEventLog
from shared.events import Event
from shared.http import health_router, service_app
from shared.streams import dead_letter_stream, stream_name
from shared.tasks import stop_tasks

from . import pages, personal_pages, routes, sms_replies
from .assembly import build_delivering, links
from .catch_up import CatchUp
from .channels.email import EmailSender
from .clock import Clock, SystemClock
from .contacts import Sealer, contact_key
from .dispatcher import DispatchConfig, Dispatcher
from .intake import Intake
from .metrics import Metrics
from .migrate import upgrade
from .relay import OutboxRelay
from .runtime import Runtime
from .settings import NotifySettings

STREAMS = ("champion", "opportunity", "service")


DESCRIPTION = """Tells the champion group about each new involvement opportunity. Champions' contact details go in
here alone (`PUT /v1/champions/{champion_id}/contact`), kept encrypted and never shown back. Press
**Authorize** and paste an API key with the `admin` scope to try a route. Every error is a problem details
document (RFC 9457, `application/problem+json`)."""


def create_app(settings: NotifySettings, clock: Clock | None = None) -> FastAPI:
    app = service_app("coprod notify", _lifespan, DESCRIPTION)
    app.state.settings, app.state.clock, app.state.metrics = settings, clock or SystemClock(), Metrics()
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.include_router(personal_pages.router)
    app.include_router(sms_replies.router)
    app.include_router(health_router(lambda: _runtime_of(app).readiness(), app.state.metrics.registry))
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: NotifySettings = app.state.settings
    engine = make_engine(settings.database_url_for("notify"), settings.database_schema)
    await upgrade(engine, settings.database_schema)
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        redis = Redis.from_url(settings.redis_url)
        events = IngestEventLog(settings.ingest_url, _service_key(settings))
        consumer, email = _compose(app, settings, engine, client, redis, events)
        await consumer.ensure_groups()
        await consumer.start()
        runtime = _runtime_of(app)
        tasks = [
            asyncio.create_task(runtime.dispatcher.run()),
            asyncio.create_task(runtime.relay.run()),
            asyncio.create_task(runtime.catch_up.run()),
        ]
        try:
            yield
        finally:
            await _stop(tasks, consumer)
            await redis.aclose()
            await email.close()
            await events.aclose()
            await engine.dispose()


def _compose(
    app: FastAPI,
    settings: NotifySettings,
    engine: AsyncEngine,
    client: httpx.AsyncClient,
    redis: Redis,
    events: IngestEventLog,
) -> tuple[StreamConsumer[Event], EmailSender]:
    """Builds the runtime into `app.state.notify`; returns the consumer to start and the SMTP pool to close."""
    worker = f"{socket.gethostname()}-{os.getpid()}"
    clock = app.state.clock
    delivering, email = build_delivering(settings, engine, client, clock)
    dispatcher = Dispatcher(engine, delivering, clock, _dispatch_config(settings, worker), app.state.metrics)
    metrics = app.state.metrics
    relay = OutboxRelay(engine, client, settings.ingest_url, _service_key(settings), metrics)
    intake = Intake(engine, delivering.timetable, clock, dispatcher.wake)
    catch_up = CatchUp(engine, events, intake, metrics, page=settings.catch_up_page, every=settings.catch_up_seconds)
    consumer = StreamConsumer(redis, _consumer_config(settings, worker), intake, stored_event)
    app.state.notify = Runtime(
        engine=engine,
        sealer=Sealer(contact_key(settings)),
        clock=clock,
        dispatcher=dispatcher,
        relay=relay,
        redis=redis,
        catch_up=catch_up,
        links=links(settings, clock),
        timetable=delivering.timetable,
    )
    return consumer, email


async def _stop(tasks: list[asyncio.Task[None]], consumer: StreamConsumer[Event]) -> None:
    await consumer.stop()
    await stop_tasks(tasks)


def _service_key(settings: NotifySettings) -> str | None:
    return settings.service_api_key.get_secret_value() if settings.service_api_key else None


def _dispatch_config(settings: NotifySettings, worker: str) -> DispatchConfig:
    return DispatchConfig(
        worker,
        timedelta(seconds=settings.lease_seconds),
        settings.dispatch_batch,
        settings.dispatch_idle_seconds,
    )


def _consumer_config(settings: NotifySettings, worker: str) -> ConsumerConfig:
    return ConsumerConfig(
        streams=[stream_name(family, settings.stream_prefix) for family in STREAMS],
        group="notify",
        consumer=worker,
        dead_letters=dead_letter_stream("notify", settings.stream_prefix),
    )


def _runtime_of(app: FastAPI) -> Runtime:
    found: Runtime = app.state.notify
    return found


__all__ = ["create_app"]
