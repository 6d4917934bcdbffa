import asyncio

import httpx
from ingest_helpers import CMS_ONLY, INTERNAL, READER, bearer, event, people_blanked

from services.ingest.examples import EXAMPLES, example_event

RECORDED = EXAMPLES["engagement.recorded"]


async def test_every_event_type_is_accepted_in_one_batch(client: httpx.AsyncClient) -> None:
    batch = [example_event(t, f"evt-{i}") for i, t in enumerate(EXAMPLES)]
    answer = await client.post("/v1/events", json=batch, headers=bearer(INTERNAL))  # notification.* too
    assert answer.status_code == 202
    events = answer.json()["events"]
    assert [e["status"] for e in events] == ["accepted"] * len(EXAMPLES)
    assert [e["position"] for e in events] == list(range(1, len(EXAMPLES) + 1))


async def test_structured_and_binary_modes(client: httpx.AsyncClient) -> None:
    structured = await client.post(
        "/v1/events",
        content=httpx.Request("POST", "/", json=event("engagement.recorded", "s-1", RECORDED)).content,
        headers={"Content-Type": "application/cloudevents+json; charset=utf-8"},
    )
    binary_headers = {
        "Content-Type": "application/json",
        "ce-specversion": "1.0",
        "ce-id": "b-1",
        "ce-source": "urn:cms:north",
        "ce-type": "engagement.recorded",
        "ce-time": "2025-06-03T10:00:00+01:00",
    }
    binary = await client.post("/v1/events", json=RECORDED, headers=binary_headers)
    assert (structured.status_code, binary.status_code) == (202, 202)
    log = (await client.get("/v1/events")).json()
    assert [e["id"] for e in log["events"]] == ["s-1", "b-1"]
    sent = event("engagement.recorded", "b-1", RECORDED)
    assert people_blanked(log["events"][1])["data"] == people_blanked(sent)["data"]


async def test_the_log_reads_back_exactly_what_was_sent(client: httpx.AsyncClient) -> None:
    sent = [example_event(t, f"evt-{i}") for i, t in enumerate(EXAMPLES)]
    sent[0]["data"] = {**sent[0]["data"], "upstream_ref": "X-9"}
    await client.post("/v1/events", json=sent, headers=bearer(INTERNAL))
    first = (await client.get("/v1/events", params={"after": 0, "limit": 5})).json()
    rest = (await client.get("/v1/events", params={"after": 5})).json()
    read = first["events"] + rest["events"]
    assert [people_blanked({k: v for k, v in e.items() if k != "position"}) for e in read] == [
        people_blanked(raw) for raw in sent
    ]
    assert first["head"] == len(sent)
    assert (await client.get("/v1/events/head")).json() == {"position": len(sent)}


async def test_a_batch_with_one_bad_event_stores_nothing_and_names_every_problem(client: httpx.AsyncClient) -> None:
    bad_level = {**RECORDED, "level": "shouting"}
    no_date = {k: v for k, v in RECORDED.items() if k != "occurred_on"}
    batch = [
        event("engagement.recorded", "ok", RECORDED),
        event("engagement.recorded", "bad", bad_level),
        event("engagement.recorded", "nodate", no_date),
        event("engagement.exploded", "unknown", {}),
    ]
    answer = await client.post("/v1/events", json=batch)
    assert answer.status_code == 422
    found = {(p["index"], p["field"]) for p in answer.json()["errors"]}
    assert found == {(1, "data.level"), (2, "data.occurred_on"), (3, "type")}
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_contact_details_in_free_text_are_refused_by_field(client: httpx.AsyncClient) -> None:
    cases = {
        "summary": "Ring Jo on 07700 900123",
        "accessibility_support": "text +44 7700 900123",
        "outcome_note": "office 0161 496 0000",
        "notes": "write to jo.bloggs@example.org",
    }
    for field, text in cases.items():
        answer = await client.post("/v1/events", json=event("engagement.recorded", field, {**RECORDED, field: text}))
        assert answer.status_code == 422, field
        assert answer.json()["errors"][0]["field"] == f"data.{field}"
    dated = {**RECORDED, "summary": "Held 2025-06-03, ref 2025-0612-0001"}
    assert (await client.post("/v1/events", json=event("engagement.recorded", "ok", dated))).status_code == 202


async def test_personal_data_and_nul_anywhere_are_refused_without_repeating_them(client: httpx.AsyncClient) -> None:
    cases = {
        "id": event("engagement.recorded", "jo(at)example.org", RECORDED),
        "source": event("engagement.recorded", "s-1", RECORDED, source="urn:cms:\x00"),
        "subject": {**event("engagement.recorded", "s-2", RECORDED), "subject": "SW1A 1AA"},
        "data.participant_ids.0": event("engagement.recorded", "s-3", {**RECORDED, "participant_ids": ["Jo Bloggs"]}),
        "data.service_id": event("engagement.recorded", "s-4", {**RECORDED, "service_id": "svc\x00"}),
    }
    answers = await asyncio.gather(*(client.post("/v1/events", json=raw) for raw in cases.values()))
    for field, answer in zip(cases, answers, strict=True):
        assert answer.status_code == 422, field
        assert [error["field"] for error in answer.json()["errors"]] == [field]
        assert "Bloggs" not in answer.text and "SW1A" not in answer.text and "example.org" not in answer.text
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_a_megabyte_of_text_is_refused_quickly_by_its_size(client: httpx.AsyncClient) -> None:
    raw = event("engagement.recorded", "big", {**RECORDED, "notes": "a@" * 500_000})
    answer = await client.post("/v1/events", json=raw)
    assert answer.status_code == 422
    assert "longer than 10,000 characters" in answer.json()["errors"][0]["message"]


async def test_duplicates_are_stored_once_and_changed_content_is_a_conflict(client: httpx.AsyncClient) -> None:
    first = event("engagement.recorded", "dup", RECORDED)
    batch = await client.post("/v1/events", json=[first, first])
    assert [e["status"] for e in batch.json()["events"]] == ["accepted", "duplicate"]
    again = await client.post("/v1/events", json=first)
    assert again.json()["events"][0] == {"id": "dup", "source": "urn:cms:north", "status": "duplicate", "position": 1}
    changed = event("engagement.recorded", "dup", {**RECORDED, "level": "informing"})
    conflict = await client.post("/v1/events", json=[event("engagement.recorded", "new", RECORDED), changed])
    assert conflict.status_code == 409
    assert "different content" in conflict.json()["detail"]
    assert (await client.get("/v1/events/head")).json() == {"position": 1}


async def test_concurrent_posts_of_the_same_events_store_each_once(client: httpx.AsyncClient) -> None:
    events = [event("engagement.recorded", f"c-{i}", RECORDED) for i in range(20)]
    answers = await asyncio.gather(*(client.post("/v1/events", json=events[i % 20]) for i in range(200)))
    assert {a.status_code for a in answers} == {202}
    positions = {a.json()["events"][0]["id"]: a.json()["events"][0]["position"] for a in answers}
    assert sorted(positions.values()) == list(range(1, 21))
    statuses = [a.json()["events"][0]["status"] for a in answers]
    assert statuses.count("accepted") == 20
    assert (await client.get("/v1/events/head")).json() == {"position": 20}


async def test_keys_are_checked(client: httpx.AsyncClient) -> None:
    one = event("engagement.recorded", "k-1", RECORDED)
    assert (await client.post("/v1/events", json=one, headers={"Authorization": ""})).status_code == 401
    unknown = await client.post("/v1/events", json=one, headers=bearer("not-a-key-at-all-xx"))
    assert unknown.status_code == 401
    assert "not known" in unknown.json()["detail"]
    assert (await client.post("/v1/events", json=one, headers=bearer(READER))).status_code == 403
    assert (await client.post("/v1/events", json=one, headers=bearer(CMS_ONLY))).status_code == 202
    other_source = event("engagement.recorded", "k-2", RECORDED, source="urn:survey:x")
    refused = await client.post("/v1/events", json=other_source, headers=bearer(CMS_ONLY))
    assert refused.status_code == 403
    assert "urn:survey:x" in refused.json()["detail"]
    assert (await client.get("/v1/events", headers=bearer(CMS_ONLY))).status_code == 403
    assert (await client.get("/healthz", headers={"Authorization": ""})).status_code == 200


async def test_unreadable_requests_are_refused_in_plain_words(client: httpx.AsyncClient) -> None:
    xml = await client.post("/v1/events", content=b"<event/>", headers={"Content-Type": "application/xml"})
    assert xml.status_code == 415
    broken = await client.post("/v1/events", content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["detail"]
    too_many = [event("engagement.recorded", f"m-{i}", RECORDED) for i in range(1001)]
    assert (await client.post("/v1/events", json=too_many)).status_code == 413
    huge = {**event("engagement.recorded", "h", RECORDED), "padding": "x" * (5 * 1024 * 1024)}
    assert (await client.post("/v1/events", json=huge)).status_code == 413
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_schemas_are_served(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/v1/schemas")).json()["types"]
    assert len(listed) == len(EXAMPLES)
    schema = (await client.get("/v1/schemas/engagement.recorded")).json()
    assert "level" in schema["properties"]["data"]["required"]
    assert (await client.get("/v1/schemas/engagement.exploded")).status_code == 404


async def test_every_refusal_is_a_problem_document_in_plain_words(client: httpx.AsyncClient) -> None:
    one = event("engagement.recorded", "p-1", RECORDED)
    await client.post("/v1/events", json=one)
    changed = event("engagement.recorded", "p-1", {**RECORDED, "level": "informing"})
    answers = {
        400: await client.post("/v1/events", content=b"{not json", headers={"Content-Type": "application/json"}),
        401: await client.post("/v1/events", json=one, headers={"Authorization": ""}),
        403: await client.post("/v1/events", json=one, headers=bearer(READER)),
        404: await client.get("/v1/nothing-here"),
        405: await client.delete("/v1/events"),
        409: await client.post("/v1/events", json=changed),
        415: await client.post("/v1/events", content=b"<event/>", headers={"Content-Type": "application/xml"}),
        422: await client.post("/v1/events", json=event("engagement.recorded", "p-2", {**RECORDED, "level": "loud"})),
    }
    for status, answer in answers.items():
        assert answer.status_code == status
        assert answer.headers["content-type"] == "application/problem+json", status
        body = answer.json()
        assert body["status"] == status and body["title"] and body["detail"], body
        assert body["type"].startswith("tag:coprod,2026:"), body
    assert answers[422].json()["errors"][0] | {"message": ""} == {"index": 0, "field": "data.level", "message": ""}
    assert answers[409].json()["index"] == 0
    assert answers[401].headers["www-authenticate"] == "Bearer"


async def test_unknown_data_fields_are_kept_and_named_as_warnings(client: httpx.AsyncClient) -> None:
    typo = {**RECORDED, "colleages_participating": 3}
    answer = await client.post("/v1/events", json=[event("engagement.recorded", "w-0", RECORDED),
                                                   event("engagement.recorded", "w-1", typo)])
    assert answer.status_code == 202
    assert [(w["index"], w["field"]) for w in answer.json()["warnings"]] == [(1, "data.colleages_participating")]
    assert "misspelt" in answer.json()["warnings"][0]["message"]
    assert (await client.get("/v1/events")).json()["events"][1]["data"]["colleages_participating"] == 3
    clean = await client.post("/v1/events", json=event("engagement.recorded", "w-2", RECORDED))
    assert "warnings" not in clean.json()


async def test_date_mistakes_say_what_was_expected_with_an_example(client: httpx.AsyncClient) -> None:
    wrong_date = event("engagement.recorded", "d-1", {**RECORDED, "occurred_on": "03/06/2025"})
    no_offset = {**event("engagement.recorded", "d-2", RECORDED), "time": "2025-06-03T10:00:00"}
    answer = await client.post("/v1/events", json=[wrong_date, no_offset])
    messages = {(p["index"], p["field"]): p["message"] for p in answer.json()["errors"]}
    assert messages[(0, "data.occurred_on")] == "must be a date written like 2025-06-01"
    assert "2025-06-01T10:00:00+01:00" in messages[(1, "time")]
