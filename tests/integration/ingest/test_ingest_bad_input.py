"""Input that once answered 500: each is now a 4xx naming the problem."""

import httpx
from ingest_helpers import event

from services.ingest.examples import EXAMPLES

RECORDED = EXAMPLES["engagement.recorded"]


async def test_positions_a_database_cannot_hold_are_refused(client: httpx.AsyncClient) -> None:
    for after in (str(2**63), str(2**64 + 5), "-1", "ten", "1e3"):
        answer = await client.get("/v1/events", params={"after": after})
        assert answer.status_code == 422, (after, answer.text)
    assert (await client.get("/v1/events", params={"after": str(2**63 - 1)})).json()["events"] == []


async def test_an_undeclared_field_nested_hundreds_deep_is_refused_by_name(client: httpx.AsyncClient) -> None:
    deep: object = "bottom"
    for _ in range(250):
        deep = {"inner": deep}
    sent = event("engagement.recorded", "deep-1", {**RECORDED, "notes": deep})
    answer = await client.post("/v1/events", json=sent)
    assert answer.status_code == 422
    (problem,) = answer.json()["errors"]
    assert problem["index"] == 0 and problem["field"] == "data.notes"
    assert "32" in problem["message"]
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_nesting_up_to_the_limit_is_taken(client: httpx.AsyncClient) -> None:
    shallow: object = "bottom"
    for _ in range(30):  # the event, data and 30 arrays: 32 levels
        shallow = [shallow]
    answer = await client.post("/v1/events", json=event("engagement.recorded", "ok-1", {**RECORDED, "notes": shallow}))
    assert answer.status_code == 202, answer.text


async def test_a_schema_name_longer_than_any_type_is_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/schemas/" + "x" * 5000)).status_code == 422


async def test_numbers_and_dates_past_what_a_service_could_reach_are_refused_naming_the_bound(
    client: httpx.AsyncClient,
) -> None:
    opportunity = EXAMPLES["opportunity.published"]
    sent = [
        event("engagement.recorded", "big-1", {**RECORDED, "customers_participating": 2**63}),
        event("engagement.recorded", "big-2", {**RECORDED, "colleagues_participating": 2**62}),
        event("engagement.recorded", "big-3", {**RECORDED, "occurred_on": "9999-12-31"}),
        event("opportunity.published", "big-4", {**opportunity, "places": 100_001}),
        {**event("engagement.recorded", "big-5", RECORDED), "time": "9999-12-31T23:00:00-05:00"},
    ]
    answer = await client.post("/v1/events", json=sent)
    assert answer.status_code == 422, answer.text
    found = {(p["index"], p["field"], p["message"]) for p in answer.json()["errors"]}
    assert found == {
        (0, "data.customers_participating", "must be at most 100000"),
        (1, "data.colleagues_participating", "must be at most 100000"),
        (2, "data.occurred_on", "must be on or before 2199-12-31"),
        (3, "data.places", "must be at most 100000"),
        (4, "time", "must be on or before 2199-12-31T23:59:59Z"),
    }
    assert (await client.get("/v1/events/head")).json() == {"position": 0}
    taken = event("engagement.recorded", "most-1", {**RECORDED, "customers_participating": 100_000})
    assert (await client.post("/v1/events", json=taken)).status_code == 202


async def test_an_address_holding_a_control_character_is_refused_in_plain_words(client: httpx.AsyncClient) -> None:
    for address in ("/v1/people/a%00b", "/v1/people/a%0Ab", "/v1/events?after=1%00"):
        answer = await client.get(address)
        assert answer.status_code == 422, (address, answer.text)
        assert "control character" in answer.json()["detail"]



async def test_only_a_national_opportunity_can_be_a_customer_group_meeting(client: httpx.AsyncClient) -> None:
    meeting = {**EXAMPLES["opportunity.published"], "customer_group_meeting": True}
    answer = await client.post("/v1/events", json=event("opportunity.published", "group-1", meeting))
    assert answer.status_code == 422, answer.text
    assert "national" in answer.json()["errors"][0]["message"]
    national = {**meeting, "scope": "national", "service_id": None}
    answer = await client.post("/v1/events", json=event("opportunity.published", "group-2", national))
    assert answer.status_code == 202, answer.text
