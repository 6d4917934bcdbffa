import asyncio
from typing import Any

import httpx
import orjson
from ingest_helpers import event, positions, wait_for_published

from services.ingest.app import create_app
from services.ingest.checks import check_events
from services.ingest.examples import EXAMPLES
from services.ingest.migrate import upgrade
from services.ingest.runtime import Runtime
from services.ingest.settings import IngestSettings
from services.ingest.store import Conflict, EventStore
from shared.db import make_engine

RECORDED = EXAMPLES["engagement.recorded"]


def recorded(event_id: str, **changes: Any) -> dict[str, Any]:
    return event("engagement.recorded", event_id, {**RECORDED, **changes})


def statuses(outcomes: Any) -> list[tuple[str, str, int]]:
    return [(o.id, o.status, o.position) for o in outcomes]


async def test_one_commit_mixing_repeats_and_new_events_from_several_requests(settings: IngestSettings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        ingest: Runtime = app.state.ingest
        await ingest.committer.append(check_events([recorded("a"), recorded("b")]))
        requests = [
            [recorded("c"), recorded("a"), recorded("d")],
            [recorded("c"), recorded("b"), recorded("e")],
            [recorded("f"), recorded("a", level="informing")],
            [recorded("f")],
        ]
        # Queued in one turn of the event loop, so the writer takes all four into one transaction.
        answers = await asyncio.gather(
            *(ingest.committer.append(check_events(r)) for r in requests), return_exceptions=True
        )
        head = await ingest.store.head()
    assert statuses(answers[0]) == [("c", "accepted", 3), ("a", "duplicate", 1), ("d", "accepted", 4)]
    assert statuses(answers[1]) == [("c", "duplicate", 3), ("b", "duplicate", 2), ("e", "accepted", 5)]
    assert isinstance(answers[2], Conflict) and answers[2].index == 1
    assert statuses(answers[3]) == [("f", "accepted", 6)]
    assert head == 6
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, 6)
    assert positions(messages) == [1, 2, 3, 4, 5, 6]
    assert [body["id"] for body in messages] == ["a", "b", "c", "d", "e", "f"]


async def test_concurrent_requests_mixing_repeats_and_new_events_over_http(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    rounds = 3
    for round_ in range(rounds):
        batches = [[recorded(f"r{round_}-{i}"), recorded(f"r{round_}-{i + 1}"), recorded("seen")] for i in range(8)]
        answers = await asyncio.gather(*(client.post("/v1/events", json=batch) for batch in batches))
        assert {answer.status_code for answer in answers} == {202}
    log = (await client.get("/v1/events", params={"limit": 100})).json()
    ids = [e["id"] for e in log["events"]]
    assert len(ids) == len(set(ids)) == 1 + rounds * 9
    assert [e["position"] for e in log["events"]] == list(range(1, len(ids) + 1))
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, len(ids))
    assert [body["id"] for body in messages] == ids


async def test_two_writers_on_one_store_keep_positions_gap_free(settings: IngestSettings) -> None:
    """As two ingest processes (or an import beside the service) would: each with its own engine."""
    engines = [make_engine(settings.database_url_for("ingest"), settings.database_schema) for _ in range(2)]
    await upgrade(engines[0], settings.database_schema)
    stores = [EventStore(engine) for engine in engines]

    async def writer(which: int) -> list[Any]:  # one append at a time per store, as its group committer does
        requests = [[recorded(f"w{which}-{n}"), recorded(f"w{which}-{n + 1}")] for n in range(0, 40, 2)]
        requests[5].append(recorded("shared"))
        return [await stores[which].append(check_events(request)) for request in requests]

    answers = [answer for answers in await asyncio.gather(writer(0), writer(1)) for answer in answers]
    read = await stores[0].read(0, 1000)
    for store in stores:
        await store.close()
    for engine in engines:
        await engine.dispose()
    ids = [orjson.loads(event.body)["id"] for event in read]
    assert [event.position for event in read] == list(range(1, 82))
    assert sorted(ids) == sorted({f"w{which}-{n}" for which in (0, 1) for n in range(40)} | {"shared"})
    stored_at = {event_id: position for position, event_id in enumerate(ids, start=1)}
    assert all(stored_at[o.id] == o.position for answer in answers for o in answer)
