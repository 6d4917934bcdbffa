"""Projections: live catch-up of a backlog through the real consumer, and a rebuild, against Redis's own ceiling.

    .venv/bin/python bench/projections_bench.py                      # PostgreSQL, 200,000 events
    .venv/bin/python bench/projections_bench.py --events 1000000     # the full run
    .venv/bin/python bench/projections_bench.py --database-url sqlite

Puts a backlog of stored events (as ingest's relay would) in the streams of a fresh prefix, then times
1. the ceiling: XREADGROUP + XACK of the same entries, nothing else;
2. live: `StreamConsumer` + the projections' handler applying them into a fresh schema until all are applied;
3. rebuild: `rebuild()` from an event log of the same events (parsed from JSON per page, as from ingest),
and prints each as events/s and as a ratio to the ceiling. Targets: live >= 8,000/s, rebuild >= 20,000/s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import tempfile
import time
import uuid
from typing import Any

import orjson
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.projections.app import consumer_config, open_store
from services.projections.apply import entry_fact
from services.projections.catch_up import contiguous_end
from services.projections.projector import Projector
from services.projections.rebuild import rebuild
from services.projections.runtime import tune_garbage_collector
from services.projections.settings import ProjectionsSettings
from services.projections.tables import read_model
from shared.consuming import StreamConsumer
from shared.db import drop_schema
from shared.events import Event, cloud_event, parse_event
from shared.streams import all_streams, entry_of, stream_for

LEVELS = ["informing", "consulting", "engaging", "co_designing", "co_producing"]


def story(count: int) -> list[dict[str, Any]]:
    rng = random.Random(1)
    activities, services = max(count // 3, 1), max(count // 1000, 5)
    bodies = []
    for position in range(1, count + 1):
        kind, data = _one(rng, activities, services)
        when = f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z"
        event = cloud_event(kind, data, id=f"e{position}", source="urn:bench", time=when)
        bodies.append({"position": position} | event)
    return bodies


def _one(rng: random.Random, activities: int, services: int) -> tuple[str, dict[str, Any]]:
    day = f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"
    activity, service = f"a{rng.randrange(activities)}", f"s{rng.randrange(services)}"
    roll = rng.random()
    if roll < 0.55:
        return "engagement.recorded", {
            "activity_id": activity, "occurred_on": day, "activity_type": "meeting", "level": rng.choice(LEVELS),
            "mode": "virtual", "service_id": service, "customers_participating": rng.randint(0, 9),
            "topics": ["garden"], "summary": "Tea and talk about the garden",
        }
    if roll < 0.7:
        return "engagement.amended", {"activity_id": activity, "level": rng.choice(LEVELS)}
    if roll < 0.78:
        return "engagement.outcome_recorded", {"activity_id": activity, "outcome": "done", "communicated_on": day}
    if roll < 0.8:
        return "service.registered", {"service_id": service, "name": service, "service_type": "other", "region": "n"}
    if roll < 0.85:
        return "commitment.signed", {"commitment_id": f"c{service}", "service_id": service, "signed_on": day}
    if roll < 0.92:
        return "training.attended", {"session_id": f"t{rng.randrange(500)}", "person_id": f"p{rng.randrange(9999)}",
                                     "role": "customer"}
    return "feedback.received", {"feedback_id": f"f{rng.randrange(10**9)}", "service_id": service,
                                 "received_on": day, "kind": "comment"}


async def fill_streams(redis: Redis, prefix: str, bodies: list[dict[str, Any]]) -> None:
    for start in range(0, len(bodies), 5000):
        async with redis.pipeline(transaction=False) as pipe:
            for body in bodies[start : start + 5000]:
                pipe.xadd(stream_for(body["type"], prefix), entry_of(body))  # type: ignore[arg-type]
            await pipe.execute()


async def ceiling(redis: Redis, prefix: str, count: int) -> float:
    streams = all_streams(prefix)
    for stream in streams:
        await redis.xgroup_create(stream, "ceiling", id="0", mkstream=True)
    started, seen = time.perf_counter(), 0
    while seen < count:
        read: Any = await redis.xreadgroup("ceiling", "c", {s: ">" for s in streams}, count=500)
        for name, entries in read:
            await redis.xack(name, "ceiling", *[entry_id for entry_id, _ in entries])
            seen += len(entries)
    return count / (time.perf_counter() - started)


async def live(settings: ProjectionsSettings, count: int) -> float:
    engine, live_generation = await open_store(settings)
    redis = Redis.from_url(settings.redis_url)
    projector = Projector(engine, live_generation)
    consumer = StreamConsumer(redis, consumer_config(settings), projector.handle, entry_fact)
    await consumer.ensure_groups()
    started = time.perf_counter()
    await consumer.start()
    applied = 0
    while (applied := await contiguous_end(engine, read_model(1), applied)) < count:
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    await consumer.stop()
    await redis.aclose()
    await engine.dispose()
    return count / elapsed


class MemoryLog:
    """The event log as ingest serves it: JSON pages, parsed on arrival."""

    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.pages = {start: orjson.dumps(bodies[start : start + 5000]) for start in range(0, len(bodies), 5000)}
        self.count = len(bodies)

    async def head(self) -> int:
        return self.count

    async def read(self, after: int, limit: int) -> list[Event]:
        return [parse_event(raw, position=raw["position"]) for raw in await self.read_stored(after, limit)]

    async def read_stored(self, after: int, limit: int) -> list[dict[str, Any]]:
        page: list[dict[str, Any]] = orjson.loads(self.pages.get(after, b"[]"))
        return page


async def rebuilt(settings: ProjectionsSettings, bodies: list[dict[str, Any]]) -> tuple[float, float]:
    engine, _ = await open_store(settings)
    started = time.perf_counter()
    await rebuild(engine, MemoryLog(bodies), settings, show=True)
    total = time.perf_counter() - started
    await engine.dispose()
    pause = settings.live_generation_ttl_seconds  # at most this is waited, not worked, at the switch
    return len(bodies) / total, len(bodies) / (total - pause)


async def main(args: argparse.Namespace) -> None:
    logging.disable(logging.INFO)  # FastStream logs every batch at INFO: not what is being measured
    if not args.default_gc:
        tune_garbage_collector()  # as `python -m services.projections` does
    url, schema = await _database(args.database_url)
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    settings = ProjectionsSettings.model_validate({
        "database_url": url, "database_schema": schema, "redis_url": args.redis_url, "stream_prefix": prefix,
        "batch_size": args.batch_size or ProjectionsSettings.model_fields["batch_size"].default,
        "fill_page": 5000, "rebuild_batch": args.rebuild_batch,
    })
    bodies = story(args.events)
    redis = Redis.from_url(args.redis_url)
    await fill_streams(redis, prefix, bodies)
    print(f"{args.events:,} events in the streams of {prefix} on {url.split(':')[0]}")
    top = await ceiling(redis, prefix, args.events)
    print(f"ceiling  XREADGROUP+XACK  {top:>10,.0f} events/s")
    if "live" in args.phases:
        rate = await live(settings, args.events)
        print(f"live     consumer → SQL   {rate:>10,.0f} events/s  {rate / top:.2f} of the ceiling  (target 8,000)")
    if "rebuild" in args.phases:
        whole, work = await rebuilt(settings, bodies)
        print(f"rebuild  log → new tables {whole:>10,.0f} events/s  {whole / top:.2f} of the ceiling  "
              f"(target 20,000; {work:,.0f}/s without the waits at the switch)")
    for stream in all_streams(prefix):
        await redis.delete(stream)
    await redis.aclose()
    await drop_schema(args.database_url, schema)


async def _database(url: str) -> tuple[str, str | None]:
    if url == "sqlite":
        return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db", None
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()
    return url, schema


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get(
        "COPROD_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"), help="or 'sqlite'")
    parser.add_argument("--redis-url", default=os.environ.get("COPROD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--batch-size", type=int, help="most events one read takes (default: the setting's)")
    parser.add_argument("--rebuild-batch", type=int, default=10_000)
    parser.add_argument("--default-gc", action="store_true", help="leave the garbage collector untuned")
    parser.add_argument("--phases", nargs="+", choices=["live", "rebuild"], default=["live", "rebuild"])
    asyncio.run(main(parser.parse_args()))
