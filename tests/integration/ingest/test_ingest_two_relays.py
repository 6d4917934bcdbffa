"""Two ingest processes on one store: each event reaches Redis once, not once per relay."""

import asyncio
from collections import Counter
from pathlib import Path

import httpx
from ingest_helpers import WRITER, bearer, event, published, wait_for_published
from ingest_processes import Database, ingest_env, ingest_processes

from services.ingest.examples import EXAMPLES

RECORDED = EXAMPLES["engagement.recorded"]
CLIENTS, POSTS, BATCH = 8, 15, 5


async def post_from(url: str, client_number: int) -> None:
    async with httpx.AsyncClient(base_url=url, headers=bearer(WRITER), timeout=30) as client:
        for n in range(POSTS):
            batch = [event("engagement.recorded", f"c{client_number}-{n}-{i}", RECORDED) for i in range(BATCH)]
            assert (await client.post("/v1/events", json=batch)).status_code == 202


async def test_each_position_is_on_the_streams_once_with_two_ingests_on_one_store(
    database: Database, redis_url: str, stream_prefix: str, tmp_path: Path
) -> None:
    total = CLIENTS * POSTS * BATCH
    with ingest_processes(ingest_env(database, redis_url, stream_prefix, tmp_path), count=2) as urls:
        await asyncio.gather(*(post_from(urls[n % 2], n) for n in range(CLIENTS)))
        await wait_for_published(redis_url, stream_prefix, total)
        await asyncio.sleep(0.5)  # both relays have looked for each other's commits by now
        messages = await published(redis_url, stream_prefix)
    copies = Counter(int(body["position"]) for body in messages)
    assert sorted(copies) == list(range(1, total + 1))
    assert set(copies.values()) == {1}, f"{sum(c > 1 for c in copies.values())} positions on the streams twice"
