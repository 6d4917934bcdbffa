import asyncio
from collections import defaultdict
from pathlib import Path

import httpx
from ingest_helpers import (
    INTERNAL,
    bearer,
    event,
    people_blanked,
    positions,
    published,
    running,
    stream_messages,
    tokens_in,
    wait_for_published,
)
from redis.asyncio import Redis

from coprod.embedded_redis import RedisServer
from services.ingest.csv_import import import_file
from services.ingest.examples import EXAMPLES, example_event
from services.ingest.pseudonyms import people_in
from services.ingest.settings import IngestSettings
from shared.streams import stream_for

RECORDED = EXAMPLES["engagement.recorded"]


async def post_many(client: httpx.AsyncClient, start: int, count: int) -> None:
    for i in range(start, start + count, 10):
        batch = [event("engagement.recorded", f"e-{n}", RECORDED) for n in range(i, min(i + 10, start + count))]
        assert (await client.post("/v1/events", json=batch)).status_code == 202


async def test_each_event_reaches_its_family_stream_with_position_and_type(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    sent = [example_event(t, f"evt-{i}") for i, t in enumerate(EXAMPLES)]
    await client.post("/v1/events", json=sent, headers=bearer(INTERNAL))
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, len(sent))
    assert positions(messages) == list(range(1, len(sent) + 1))
    for body, original in zip(messages, sent, strict=True):
        assert people_blanked({k: v for k, v in body.items() if k != "position"}) == people_blanked(original)
        assert len(tokens_in(body)) == len(people_in(original))
    redis = Redis.from_url(settings.redis_url)
    assert int(await redis.get(f"{settings.stream_prefix}head") or 0) == len(sent)
    assert len(await stream_messages(redis, stream_for("champion.joined", settings.stream_prefix))) == 3
    await redis.aclose()


async def test_redis_stopping_mid_run_loses_and_repeats_nothing(
    settings: IngestSettings, own_redis: RedisServer
) -> None:
    settings = settings.model_copy(update={"redis_url": own_redis.url})
    async with running(settings) as client:
        await post_many(client, 0, 50)
        await wait_for_published(own_redis.url, settings.stream_prefix, 50)
        own_redis.stop()
        await post_many(client, 50, 50)
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        own_redis.start()
        await post_many(client, 100, 20)
        messages = await wait_for_published(own_redis.url, settings.stream_prefix, 120)
        assert (await client.get("/readyz")).json()["status"] == "ready"
    assert positions(messages) == list(range(1, 121))
    assert [body["id"] for body in messages] == [f"e-{n}" for n in range(120)]


async def test_a_restarted_ingest_publishes_what_it_committed_while_redis_was_down(
    settings: IngestSettings, own_redis: RedisServer
) -> None:
    settings = settings.model_copy(update={"redis_url": own_redis.url})
    async with running(settings) as client:
        await post_many(client, 0, 30)
        await wait_for_published(own_redis.url, settings.stream_prefix, 30)
        own_redis.stop()
        await post_many(client, 30, 30)
    own_redis.start()
    assert len(await published(own_redis.url, settings.stream_prefix)) == 30
    async with running(settings):
        messages = await wait_for_published(own_redis.url, settings.stream_prefix, 60)
        await asyncio.sleep(0.2)
        messages = await published(own_redis.url, settings.stream_prefix)
    assert positions(messages) == list(range(1, 61))


async def test_streams_keep_position_order_per_family(client: httpx.AsyncClient, settings: IngestSettings) -> None:
    batches = [[example_event(t, f"b{b}-{i}") for i, t in enumerate(EXAMPLES)] for b in range(5)]
    await asyncio.gather(*(client.post("/v1/events", json=batch, headers=bearer(INTERNAL)) for batch in batches))
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, 5 * len(EXAMPLES))
    redis = Redis.from_url(settings.redis_url)
    per_stream: dict[str, list[int]] = defaultdict(list)
    for body in messages:
        per_stream[stream_for(body["type"], settings.stream_prefix)].append(body["position"])
    for stream, expected in per_stream.items():
        in_stream = [int(event["position"]) for event in await stream_messages(redis, stream)]
        assert in_stream == sorted(expected), stream
    await redis.aclose()
    assert positions(messages) == list(range(1, 5 * len(EXAMPLES) + 1))


async def test_the_embedded_default_stores_under_the_data_dir(settings: IngestSettings, tmp_path: Path) -> None:
    embedded = settings.model_copy(update={"database_url": None, "database_schema": None, "data_dir": tmp_path / "d"})
    async with running(embedded) as client:
        assert (await client.post("/v1/events", json=example_event("service.closed"))).status_code == 202
    assert (tmp_path / "d" / "ingest.db").exists()


async def test_events_appended_by_another_process_are_published_in_order(
    client: httpx.AsyncClient, settings: IngestSettings, tmp_path: Path
) -> None:
    sheet = tmp_path / "closed.csv"
    sheet.write_text("service_id,closed_on\ns-1,2025-01-01\ns-2,2025-01-02\n")
    await post_many(client, 0, 5)
    assert await import_file(sheet, "service.closed", "urn:sheet", False, settings) == 0
    await post_many(client, 5, 5)
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, 12)
    assert positions(messages) == list(range(1, 13))
    assert [body["type"] for body in messages].count("service.closed") == 2
