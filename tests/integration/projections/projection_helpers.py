"""Running ingest and projections for real (uvicorn on free ports), a small story of events, and table dumps."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from coprod.environment import free_port
from services.ingest.settings import IngestSettings
from services.projections.settings import ProjectionsSettings
from services.projections.tables import read_model
from shared.events import Event, cloud_event, parse_event
from shared.streams import entry_of, stream_for

SERVICE_KEY = "projections-service-key-0123"
WRITER = "writer-key-0123456789"
API_KEYS = [
    {"name": "writer", "key": WRITER, "scopes": ["write", "read"]},
    {"name": "projections", "key": SERVICE_KEY, "scopes": ["read"]},
    {"name": "admin", "key": "admin-key-0123456789", "scopes": ["admin"]},
    {"name": "sender", "key": "sender-key-0123456789", "scopes": ["write"]},
]
T = TypeVar("T")


class Database(Protocol):
    url: str
    schema: str | None


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int | None = None) -> AsyncIterator[str]:
    """The app on a real port of 127.0.0.1 (lifespan and all), by default a free one; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def ingest_settings(database: Database, redis_url: str, prefix: str, data_dir: Path) -> IngestSettings:
    return IngestSettings.model_validate({
        "database_url": database.url, "database_schema": database.schema, "redis_url": redis_url,
        "stream_prefix": prefix, "data_dir": data_dir, "api_keys": API_KEYS,
        "relay_idle_seconds": 0.05, "relay_max_backoff_seconds": 0.3,
        "service_api_key": WRITER,  # the story holds what notify sent, which only coprod's internal key may record
    })


def projections_settings(
    database: Database, redis_url: str, prefix: str, ingest_url: str = "http://127.0.0.1:9", **over: Any
) -> ProjectionsSettings:
    return ProjectionsSettings.model_validate({
        "database_url": database.url, "database_schema": database.schema, "redis_url": redis_url,
        "stream_prefix": prefix, "api_keys": API_KEYS, "ingest_url": ingest_url, "service_api_key": SERVICE_KEY,
        "claim_idle_ms": 300, "gap_wait_seconds": 0.5, "progress_every_seconds": 0.1, "poll_ms": 20, **over,
    })


def env_of(settings: ProjectionsSettings, port: int) -> dict[str, str]:
    env = {
        "COPROD_DATABASE_URL": settings.database_url or "", "COPROD_REDIS_URL": settings.redis_url,
        "COPROD_STREAM_PREFIX": settings.stream_prefix, "COPROD_INGEST_URL": settings.ingest_url,
        "COPROD_SERVICE_API_KEY": SERVICE_KEY, "COPROD_PROJECTIONS_PORT": str(port),
        "COPROD_CLAIM_IDLE_MS": str(settings.claim_idle_ms), "COPROD_GAP_WAIT_SECONDS": str(settings.gap_wait_seconds),
        "COPROD_PROGRESS_EVERY_SECONDS": "0.1", "COPROD_LOG_LEVEL": "WARNING", "COPROD_POLL_MS": "20",
        "COPROD_API_KEYS": json.dumps(API_KEYS), "COPROD_HOST": "127.0.0.1",
    }
    if settings.database_schema:
        env["COPROD_DATABASE_SCHEMA"] = settings.database_schema
    return env


def event(event_type: str, data: dict[str, Any], when: str = "2025-06-01T10:00:00Z", n: int = 0) -> dict[str, Any]:
    key = next(iter(data.values()))
    return cloud_event(event_type, data, id=f"{event_type}:{key}:{n}:{when}", source="urn:test", time=when)


def story() -> list[dict[str, Any]]:
    """A little of everything, with corrections and late arrivals; 24 events."""
    rec = {"occurred_on": "2025-05-01", "activity_type": "meeting", "level": "consulting", "mode": "virtual"}
    return [
        event("engagement.amended", {"activity_id": "a1", "level": "co_producing"}, "2025-06-02T10:00:00Z"),
        event("engagement.recorded", {"activity_id": "a1", **rec, "service_id": "s1", "customers_participating": 5}),
        event("engagement.recorded", {"activity_id": "a2", **rec, "service_id": "s1", "region": "east"}),
        event("engagement.recorded", {"activity_id": "a3", **rec, "colleagues_participating": 2}),
        event("engagement.withdrawn", {"activity_id": "a3", "reason": "duplicate"}),
        event("engagement.outcome_recorded", {"activity_id": "a2", "outcome": "menu", "communicated_on": "2025-07-01"}),
        event("engagement.outcome_recorded", {"activity_id": "a2", "outcome": "said", "communicated_on": "2025-06-01"}),
        event("service.registered", {"service_id": "s1", "name": "Oak", "service_type": "retirement_living",
                                     "region": "north"}),
        event("service.registered", {"service_id": "s2", "name": "Elm", "service_type": "floating_support",
                                     "region": "south", "opened_on": "2024-01-01"}),
        event("service.closed", {"service_id": "s2", "closed_on": "2025-09-30"}),
        event("commitment.lapsed", {"commitment_id": "c1", "service_id": "s1", "lapsed_on": "2025-05-01"}),
        event("commitment.signed", {"commitment_id": "c1", "service_id": "s1", "signed_on": "2024-05-01",
                                    "review_due_on": "2025-05-01"}),
        event("commitment.renewed", {"commitment_id": "c1", "service_id": "s1", "renewed_on": "2025-08-01"}),
        event("training.session_held", {"session_id": "t1", "held_on": "2025-06-10", "module": "intro",
                                        "mode": "virtual"}),
        event("training.attended", {"session_id": "t1", "person_id": "p1", "role": "customer"}),
        event("training.attended", {"session_id": "t1", "person_id": "p1", "role": "customer"}, n=1),
        event("feedback.received", {"feedback_id": "f1", "service_id": "s1", "received_on": "2025-06-01",
                                    "kind": "complaint"}),
        event("feedback.responded", {"feedback_id": "f1", "responded_on": "2025-06-05", "action_taken": True}),
        event("champion.joined", {"champion_id": "ch1", "role": "colleague", "joined_on": "2025-04-02",
                                  "region": "north", "national_customer_group": True}),
        event("champion.left", {"champion_id": "ch1", "left_on": "2025-10-01"}),
        event("opportunity.published", {"opportunity_id": "o1", "title": "Panel", "summary": "Join us",
                                        "scope": "national", "closes_on": "2025-12-01", "mode": "hybrid",
                                        "topics": ["strategy"], "starts_at": "2025-11-03T14:00:00+00:00",
                                        "places": 8, "location": "Online, or the Liverpool office",
                                        "accessibility_support": "BSL interpreter", "expenses_paid": True,
                                        "how_to_take_part": "Tell the involvement team",
                                        "customer_group_meeting": True}),
        event("opportunity.signed_up", {"opportunity_id": "o1", "person_id": "p1", "role": "customer"}),
        event("notification.sent", {"notification_id": "n1", "opportunity_id": "o1", "champion_id": "ch1",
                                    "channel": "email"}),
        event("notification.failed", {"notification_id": "n2", "opportunity_id": "o1", "champion_id": "ch1",
                                      "channel": "sms", "error": "no signal"}),
    ]


def stored(raws: Sequence[dict[str, Any]], first: int = 1) -> list[Event]:
    return [parse_event(raw, position=p) for p, raw in enumerate(raws, start=first)]


async def publish(redis_url: str, prefix: str, events: Sequence[Event]) -> None:
    """What ingest's relay does: each stored event to its family's stream."""
    redis = Redis.from_url(redis_url)
    try:
        for e in events:
            await redis.xadd(stream_for(e.type, prefix), entry_of(e.model_dump(mode="json", exclude_unset=True)))  # type: ignore[arg-type]
    finally:
        await redis.aclose()


async def post(ingest_url: str, raws: Sequence[dict[str, Any]]) -> None:
    async with httpx.AsyncClient(base_url=ingest_url, headers={"Authorization": f"Bearer {WRITER}"}) as client:
        for start in range(0, len(raws), 1000):
            response = await client.post("/v1/events", json=list(raws[start : start + 1000]))
            assert response.status_code == 202, response.text


async def dump(engine: AsyncEngine, generation: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table of a generation, rows sorted, keyed by the table's name without its generation."""
    model = read_model(generation)
    found = {}
    async with engine.connect() as conn:
        for table in model.metadata.sorted_tables:
            rows = (await conn.execute(select(table))).all()
            if "summing" in table.info:  # a rollup: emptied keys stay as zeros
                keys = len(table.primary_key.columns)
                rows = [row for row in rows if any(row[keys:])]
            name = table.name.removeprefix(f"projections_g{generation}_")
            found[name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return found


def _plain(value: Any) -> Any:
    return value.replace(tzinfo=None) if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) else value


@contextlib.asynccontextmanager
async def store(database: Database, generation: int = 1) -> AsyncIterator[AsyncEngine]:
    """The projections' database, migrated, with `generation`'s tables."""
    from services.projections.app import open_engine
    from services.projections.migrate import upgrade
    from services.projections.state import create_generation

    settings = projections_settings(database, "redis://unused", "unused:")
    engine = open_engine(settings)
    await upgrade(engine, database.schema)
    await create_generation(engine, generation)
    try:
        yield engine
    finally:
        await engine.dispose()



LEVELS = ["informing", "consulting", "engaging", "co_designing", "co_producing"]


def _one_of_many(rng: Any, count: int) -> tuple[str, dict[str, Any]]:
    day = f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"
    activity, service = f"a{rng.randint(0, count // 3)}", f"s{rng.randint(0, 20)}"
    choices: list[tuple[float, str, dict[str, Any]]] = [
        (0.45, "engagement.recorded", {
            "activity_id": activity, "occurred_on": day, "activity_type": "meeting", "level": rng.choice(LEVELS),
            "mode": "virtual", "service_id": service, "customers_participating": rng.randint(0, 9)}),
        (0.65, "engagement.amended", {"activity_id": activity, "level": rng.choice(LEVELS)}),
        (0.7, "engagement.withdrawn", {"activity_id": activity, "reason": "duplicate"}),
        (0.8, "engagement.outcome_recorded", {"activity_id": activity, "outcome": "done", "communicated_on": day}),
        (0.85, "service.registered", {
            "service_id": service, "name": service, "service_type": "other", "region": rng.choice("nsew")}),
        (0.9, "commitment.signed", {"commitment_id": f"c{service}", "service_id": service, "signed_on": day}),
        (1.0, "training.attended", {
            "session_id": f"t{rng.randint(0, 9)}", "person_id": f"p{rng.randint(0, 99)}", "role": "customer"}),
    ]
    roll = rng.random()
    return next((kind, data) for bound, kind, data in choices if roll < bound)


def many(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` events of several kinds, with amendments, withdrawals and services registered late."""
    import random

    rng = random.Random(seed)
    raws = []
    for n in range(count):
        kind, data = _one_of_many(rng, count)
        raws.append(event(kind, data, f"2025-06-{rng.randint(1, 28):02d}T10:00:00Z", n))
    return raws


async def rebuild_command(env: dict[str, str]) -> tuple[int | None, str]:
    """`coprod projections rebuild`, run without blocking this loop (the ingest it reads is served from it)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.projections", "rebuild",
        env={**os.environ, **env, "COLUMNS": "120"}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode()
