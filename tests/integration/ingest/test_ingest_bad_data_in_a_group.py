"""A value the event store cannot hold is the sender's mistake (422), and never fails other clients' requests."""

import asyncio

import httpx
from ingest_helpers import event

from services.ingest.examples import EXAMPLES

RECORDED = EXAMPLES["engagement.recorded"]
BEFORE_YEAR_ONE = "0001-01-01T00:00:00+01:00"
"""A valid timestamp that lies before the first moment either database (or Python's UTC) can hold."""


def unstorable(event_id: str) -> dict[str, object]:
    return {**event("engagement.recorded", event_id, RECORDED), "time": BEFORE_YEAR_ONE}


async def test_a_value_the_store_cannot_hold_is_refused_as_the_senders_to_correct(client: httpx.AsyncClient) -> None:
    for _ in range(2):
        answer = await client.post("/v1/events", json=unstorable("early-1"))
        assert answer.status_code == 422, answer.text
        assert [problem["field"] for problem in answer.json()["errors"]] == ["time"]  # the contract's bound
        assert "Retry-After" not in answer.headers
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_one_bad_request_among_many_concurrent_clients_fails_only_itself(client: httpx.AsyncClient) -> None:
    clients = 40
    requests = [[event("engagement.recorded", f"c-{n}-{i}", RECORDED) for i in range(3)] for n in range(clients)]
    requests[clients // 2] = [event("engagement.recorded", "mine", RECORDED), unstorable("bad")]
    answers = await asyncio.gather(*(client.post("/v1/events", json=batch) for batch in requests))
    statuses = [answer.status_code for answer in answers]
    assert statuses[clients // 2] == 422
    assert statuses[: clients // 2] + statuses[clients // 2 + 1 :] == [202] * (clients - 1)
    log = (await client.get("/v1/events", params={"limit": 1000})).json()["events"]
    assert len(log) == 3 * (clients - 1)
    assert "mine" not in {stored["id"] for stored in log}
    assert [stored["position"] for stored in log] == list(range(1, len(log) + 1))
