"""coprod's own sources (`urn:coprod:*`) and `notification.*` events come from coprod's internal key alone, bar
the web's sources (`urn:coprod:web:*`), which the web's key sends too."""

import httpx
from ingest_helpers import INTERNAL, WEB, bearer, event

from services.ingest.examples import EXAMPLES

SENT = EXAMPLES["notification.sent"]
RECORDED = EXAMPLES["engagement.recorded"]


async def test_a_key_allowed_everything_still_may_not_record_what_notify_sent(client: httpx.AsyncClient) -> None:
    forged = event("notification.sent", "n-1", SENT, source="urn:coprod:notify")
    refused = await client.post("/v1/events", json=forged)
    assert refused.status_code == 403
    assert "only coprod's own services may send 'notification.sent' events" in refused.json()["detail"]
    elsewhere = await client.post("/v1/events", json=event("notification.failed", "n-2", {**SENT, "error": "x"}))
    assert elsewhere.status_code == 403
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_coprods_sources_are_refused_to_other_keys_whatever_the_type_or_case(client: httpx.AsyncClient) -> None:
    for source in ("urn:coprod:notify", "urn:coprod:anything", "URN:Coprod:notify"):
        answer = await client.post("/v1/events", json=event("engagement.recorded", f"e-{source}", RECORDED, source))
        assert answer.status_code == 403, source
    mine = event("engagement.recorded", "x", RECORDED, "urn:coprod:x")
    batch = [event("engagement.recorded", "fine", RECORDED), mine]
    refused = await client.post("/v1/events", json=batch)
    assert refused.status_code == 403 and refused.json()["detail"].startswith("event 1: ")
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_the_internal_key_records_coprods_own_events(client: httpx.AsyncClient) -> None:
    own = [event("notification.sent", "n-1", SENT, source="urn:coprod:notify")]
    answer = await client.post("/v1/events", json=own, headers=bearer(INTERNAL))
    assert answer.status_code == 202, answer.text
    assert answer.json()["events"][0]["status"] == "accepted"


async def test_the_webs_key_sends_the_webs_sources(client: httpx.AsyncClient) -> None:
    mine = event("engagement.recorded", "w-1", RECORDED, source="urn:coprod:web:user:u-1")
    answer = await client.post("/v1/events", json=mine, headers=bearer(WEB))
    assert answer.status_code == 202, answer.text
    assert answer.json()["events"][0]["status"] == "accepted"


async def test_the_webs_key_sends_nothing_else_of_coprods_own(client: httpx.AsyncClient) -> None:
    """Its globs allow every `urn:coprod:` source, yet only the web's own pass; notification.* never does."""
    refused = [
        event("engagement.recorded", "w-2", RECORDED, source="urn:coprod:notify"),
        event("engagement.recorded", "w-3", RECORDED, source="urn:coprod:webhooks"),
        event("notification.sent", "w-4", SENT, source="urn:coprod:web:user:u-1"),
    ]
    for forged in refused:
        answer = await client.post("/v1/events", json=forged, headers=bearer(WEB))
        assert answer.status_code == 403, forged
        assert "the web's key sends urn:coprod:web:* alone" in answer.json()["detail"]
    assert (await client.get("/v1/events/head")).json() == {"position": 0}


async def test_no_other_key_sends_the_webs_sources(client: httpx.AsyncClient) -> None:
    forged = event("engagement.recorded", "w-5", RECORDED, source="urn:coprod:web:user:u-1")
    answer = await client.post("/v1/events", json=forged)
    assert answer.status_code == 403
    assert (await client.get("/v1/events/head")).json() == {"position": 0}
