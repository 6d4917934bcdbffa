from pathlib import Path
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
from ingest_helpers import ADMIN, INTERNAL, TOKEN, bearer, event, wait_for_published

from services.ingest.csv_import import import_file
from services.ingest.settings import IngestSettings
from services.ingest.tables import events, people
from shared.db import make_engine

ATTENDED = {"session_id": "s-1", "person_id": "cm-000417", "role": "customer"}
RECORDED = {
    "activity_id": "a-1",
    "occurred_on": "2025-06-01",
    "activity_type": "meeting",
    "level": "consulting",
    "mode": "virtual",
    "participant_ids": ["cm-000417", "cm-000951"],
}
JOINED = {"champion_id": "cog-0031", "role": "colleague", "joined_on": "2025-05-01"}


async def log(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await client.get("/v1/events")).json()["events"]
    return found


async def raw_store(settings: IngestSettings, table: sa.Table) -> str:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        async with engine.connect() as conn:
            return repr((await conn.execute(sa.select(table))).all())
    finally:
        await engine.dispose()


async def test_people_are_stored_and_published_as_tokens_the_same_for_the_same_person(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    sent = [
        event("training.attended", "t-1", ATTENDED),
        event("engagement.recorded", "e-1", RECORDED),
        event("opportunity.signed_up", "o-1", {"opportunity_id": "op-1", "person_id": "cm-000951", "role": "customer"}),
        event("champion.joined", "c-1", JOINED),
    ]
    assert (await client.post("/v1/events", json=sent)).status_code == 202
    attended, recorded, signed_up, joined = (e["data"] for e in await log(client))
    assert TOKEN.fullmatch(attended["person_id"]) and TOKEN.fullmatch(joined["champion_id"])
    assert recorded["participant_ids"] == [attended["person_id"], signed_up["person_id"]]
    assert attended["person_id"] != signed_up["person_id"]
    messages = await wait_for_published(settings.redis_url, settings.stream_prefix, len(sent))
    on_redis = orjson.dumps([body for body in messages]).decode()
    in_the_log = await raw_store(settings, events)
    for upstream in ("cm-000417", "cm-000951", "cog-0031"):
        assert upstream not in on_redis and upstream not in in_the_log
        assert upstream in await raw_store(settings, people)


async def test_a_resent_event_is_a_duplicate_and_changed_content_a_conflict(client: httpx.AsyncClient) -> None:
    first = await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    again = await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    assert again.json()["events"][0]["status"] == "duplicate"
    assert again.json()["events"][0]["position"] == first.json()["events"][0]["position"]
    other = event("training.attended", "t-1", {**ATTENDED, "person_id": "cm-000952"})
    assert (await client.post("/v1/events", json=other)).status_code == 409


async def test_an_administrator_finds_a_persons_token(client: httpx.AsyncClient) -> None:
    await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    token = (await log(client))[0]["data"]["person_id"]
    assert (await client.get("/v1/people/cm-000417", headers=bearer(ADMIN))).json() == {"token": token}
    assert (await client.get("/v1/people/cm-000417")).status_code == 403
    assert (await client.get("/v1/people/cm-999999", headers=bearer(ADMIN))).status_code == 404


async def test_an_import_gives_the_same_tokens_as_the_api(
    client: httpx.AsyncClient, settings: IngestSettings, tmp_path: Path
) -> None:
    await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    path = tmp_path / "attended.csv"
    time = "2025-06-01T10:00:00+01:00"
    path.write_text(f"session_id,person_id,role,time\ns-2,cm-000417,customer,{time}\ns-2,cm-000500,colleague,{time}\n")
    assert await import_file(path, "training.attended", "urn:sheet:training", False, settings) == 0
    assert await import_file(path, "training.attended", "urn:sheet:training", False, settings) == 0
    first, imported, other = (e["data"]["person_id"] for e in await log(client))
    assert imported == first and TOKEN.fullmatch(other) and other != first
    assert "cm-000500" not in await raw_store(settings, events)


async def test_what_notify_records_for_a_champion_keeps_their_token(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/events", json=event("champion.joined", "c-1", JOINED))).status_code == 202
    token = (await log(client))[0]["data"]["champion_id"]
    yes = {"opportunity_id": "op-1", "person_id": token, "role": "colleague", "waiting_list": True}
    own = [
        event("opportunity.signed_up", "signup-1", yes, source="urn:coprod:notify"),
        event("champion.preferences_updated", "p-1", {"champion_id": token, "channels": []}, "urn:coprod:notify"),
    ]
    assert (await client.post("/v1/events", json=own, headers=bearer(INTERNAL))).status_code == 202
    _, signed_up, stopped = (e["data"] for e in await log(client))
    assert signed_up["person_id"] == token and stopped["champion_id"] == token and signed_up["waiting_list"] is True
