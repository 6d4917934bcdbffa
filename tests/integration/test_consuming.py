"""The consumer-group mechanics every reader of the streams relies on, against a Redis of the test's own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from faststream.redis.parser import BinaryMessageFormatV1
from redis.asyncio import Redis

from coprod.embedded_redis import RedisServer
from shared.consuming import (
    ConsumerConfig,
    StreamConsumer,
    list_dead_letters,
    replay_dead_letters,
    stored_event,
)
from shared.events import Event, cloud_event
from shared.streams import entry_of

STREAM = "t:events:engagement"


def body(position: int) -> dict[str, object]:
    data = {"activity_id": f"a{position}", "reason": "duplicate"}
    return {"position": position} | cloud_event("engagement.withdrawn", data, id=f"e{position}", source="urn:t",
                                                time="2025-06-01T10:00:00Z")


def config(consumer: str = "c1", **over: object) -> ConsumerConfig:
    base: dict[str, object] = {
        "streams": [STREAM],
        "group": "g",
        "consumer": consumer,
        "dead_letters": "t:dead-letters:g",
        "claim_idle_ms": 200,
        "max_deliveries": 3,
        "retry_every": 0.2,
    }
    return ConsumerConfig(**(base | over))  # type: ignore[arg-type]


@asynccontextmanager
async def consuming(
    url: str, handle: Callable[[Sequence[Event]], object], **over: object
) -> AsyncIterator[StreamConsumer]:
    redis = Redis.from_url(url)
    consumer = StreamConsumer(redis, config(**over), handle, stored_event)  # type: ignore[arg-type]
    await consumer.ensure_groups()
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()
        await redis.aclose()


async def publish(url: str, positions: range) -> None:
    redis = Redis.from_url(url)
    for p in positions:
        await redis.xadd(STREAM, entry_of(body(p)))  # type: ignore[arg-type]
    await redis.aclose()


async def until(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_entries_older_than_the_group_are_read(own_redis: RedisServer) -> None:
    seen: list[int] = []

    async def handle(events: Sequence[Event]) -> None:
        seen.extend(e.position or 0 for e in events)

    await publish(own_redis.url, range(1, 4))
    async with consuming(own_redis.url, handle):
        await until(lambda: seen == [1, 2, 3])


async def test_a_poison_event_goes_to_the_dead_letters_and_the_rest_flow(own_redis: RedisServer) -> None:
    seen: list[int] = []
    fixed = False

    async def handle(events: Sequence[Event]) -> None:
        if not fixed and any(e.position == 3 for e in events):
            raise ValueError("level unknown to this projection")
        seen.extend(e.position or 0 for e in events)

    await publish(own_redis.url, range(1, 6))
    redis = Redis.from_url(own_redis.url)
    async with consuming(own_redis.url, handle):
        await until(lambda: sorted(seen) == [1, 2, 4, 5])
        deadline = time.monotonic() + 10
        while not (letters := await list_dead_letters(redis, "t:dead-letters:g")):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.1)
        assert "level unknown" in letters[0]["error"]
        assert await redis.xpending(STREAM, "g") == {"pending": 0, "min": None, "max": None, "consumers": []}
        fixed = True
        assert await replay_dead_letters(redis, "t:dead-letters:g", handle, stored_event) == (1, 0)
    assert sorted(seen) == [1, 2, 3, 4, 5]
    await redis.aclose()


async def test_a_poison_event_in_a_big_batch_costs_a_few_tries_not_one_per_event(own_redis: RedisServer) -> None:
    seen: list[int] = []
    tries = 0

    async def handle(events: Sequence[Event]) -> None:
        nonlocal tries
        tries += 1
        if any(e.position == 700 for e in events):
            raise ValueError("level unknown to this projection")
        seen.extend(e.position or 0 for e in events)

    await publish(own_redis.url, range(1, 1001))
    async with consuming(own_redis.url, handle, batch_size=1000):
        await until(lambda: len(seen) == 999)
    assert 700 not in seen
    assert tries <= 40  # halving 1,000 events down to the one that fails (~21), retries; one by one: 1,000


async def test_an_entry_that_is_not_an_event_goes_to_the_dead_letters_and_the_rest_flow(
    own_redis: RedisServer,
) -> None:
    seen: list[int] = []

    async def handle(events: Sequence[Event]) -> None:
        seen.extend(e.position or 0 for e in events)

    redis = Redis.from_url(own_redis.url)
    await publish(own_redis.url, range(1, 3))
    await redis.xadd(STREAM, {"event": b"\x89 not JSON"})
    await redis.xadd(STREAM, {"something": "else"})
    await publish(own_redis.url, range(3, 5))
    async with consuming(own_redis.url, handle):
        await until(lambda: sorted(seen) == [1, 2, 3, 4])
        deadline = time.monotonic() + 10
        while len(letters := await list_dead_letters(redis, "t:dead-letters:g")) < 2:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.1)
    assert all("not a valid event" in letter["error"] for letter in letters)
    assert (await redis.xpending(STREAM, "g"))["pending"] == 0
    await redis.aclose()


async def test_a_dead_consumers_pending_entries_are_reclaimed(own_redis: RedisServer) -> None:
    redis = Redis.from_url(own_redis.url)
    await publish(own_redis.url, range(1, 4))
    await redis.xgroup_create(STREAM, "g", id="0")
    await redis.xreadgroup("g", "died-mid-batch", {STREAM: ">"}, count=10)
    seen: list[int] = []

    async def handle(events: Sequence[Event]) -> None:
        seen.extend(e.position or 0 for e in events)

    async with consuming(own_redis.url, handle, consumer="survivor"):
        await until(lambda: sorted(seen) == [1, 2, 3])
    await redis.aclose()


async def test_redis_wiped_empty_is_survived_without_a_restart(own_redis: RedisServer) -> None:
    seen: list[int] = []

    async def handle(events: Sequence[Event]) -> None:
        seen.extend(e.position or 0 for e in events)

    async with consuming(own_redis.url, handle):
        await publish(own_redis.url, range(1, 3))
        await until(lambda: seen == [1, 2])
        own_redis.wipe()
        await asyncio.sleep(0.5)
        await publish(own_redis.url, range(3, 5))
        await until(lambda: seen == [1, 2, 3, 4], timeout=60)  # a generous wait: recovering, not speed, is asserted


async def test_entries_written_by_the_earlier_faststream_publisher_are_still_read(own_redis: RedisServer) -> None:
    """An upgrade with entries still in Redis from the version before loses none of them."""
    seen: list[int] = []

    async def handle(events: Sequence[Event]) -> None:
        seen.extend(e.position or 0 for e in events)

    redis = Redis.from_url(own_redis.url)
    earlier = await BinaryMessageFormatV1.encode(message=body(1), reply_to=None, headers={}, correlation_id="c")
    await redis.xadd(STREAM, {"__data__": earlier})
    await publish(own_redis.url, range(2, 3))
    async with consuming(own_redis.url, handle):
        await until(lambda: sorted(seen) == [1, 2])
    await redis.aclose()
