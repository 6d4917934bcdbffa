"""A worker that died holding a batch, before or after its commit: another takes its entries over, counts each once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from projection_helpers import Database, dump, many, projections_settings, publish, serving, store, stored
from redis.asyncio import Redis
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.projections.app import GROUP, create_app
from services.projections.apply import apply_events
from services.projections.tables import read_model
from shared.events import parse_event
from shared.streams import all_streams, decode_entry

EVENTS = stored(many(300))


async def take_everything_and_die(redis_url: str, prefix: str, commit: bool, database: Database) -> int:
    """XREADGROUP as a worker that is then killed: with `commit`, after applying (so before its XACK)."""
    redis = Redis.from_url(redis_url)
    streams = all_streams(prefix)
    for stream in streams:
        await redis.xgroup_create(stream, GROUP, id="0", mkstream=True)
    taken = await redis.xreadgroup(GROUP, "killed-worker", {s: ">" for s in streams}, count=10_000)
    bodies = [decode_entry(fields) for _, entries in taken for _, fields in entries]
    if commit:
        async with store(database) as engine:
            await apply_events(engine, read_model(1), [parse_event(b, position=b["position"]) for b in bodies])
    await redis.aclose()
    return len(bodies)


@pytest.mark.parametrize("committed", [True, False], ids=["after-commit-before-xack", "mid-batch-before-commit"])
async def test_entries_of_a_killed_worker_are_applied_exactly_once(
    own_redis: RedisServer, stream_prefix: str, database: Database, committed: bool
) -> None:
    await publish(own_redis.url, stream_prefix, EVENTS)
    assert await take_everything_and_die(own_redis.url, stream_prefix, committed, database) == len(EVENTS)
    settings = projections_settings(database, own_redis.url, stream_prefix)
    async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        ready: dict[str, Any] = await eventually_async(
            lambda: _caught_up(client, len(EVENTS)), "the survivor to catch up"
        )
        await eventually_async(lambda: _nothing_pending(own_redis.url, stream_prefix), "every entry to be acknowledged")
    assert ready["lag"] == 0 and ready["behind"] == "up to date"
    async with store(database, 9) as engine:
        await apply_events(engine, read_model(9), EVENTS)
        assert await dump(engine, 1) == await dump(engine, 9)


async def _nothing_pending(redis_url: str, prefix: str) -> bool:
    redis = Redis.from_url(redis_url)
    pending = [(await redis.xpending(stream, GROUP))["pending"] for stream in all_streams(prefix)]
    await redis.aclose()
    return not any(pending)


async def _caught_up(client: httpx.AsyncClient, head: int) -> dict[str, Any] | None:
    body: dict[str, Any] = (await client.get("/readyz")).json()
    return body if body.get("position") == head and body.get("head") == head else None
