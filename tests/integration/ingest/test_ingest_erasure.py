from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from ingest_helpers import ADMIN, TOKEN, bearer, event

from services.ingest.erase import erase_person
from services.ingest.settings import IngestSettings
from services.ingest.tables import erasures, metadata
from shared.db import make_engine

ATTENDED = {"session_id": "s-1", "person_id": "cm-000417", "role": "customer"}
JOINED = {"champion_id": "cog-0031", "role": "colleague", "joined_on": "2025-05-01"}


async def every_row(settings: IngestSettings) -> str:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        async with engine.connect() as conn:
            return repr([(await conn.execute(sa.select(table))).all() for table in metadata.sorted_tables])
    finally:
        await engine.dispose()


async def erasure_record(settings: IngestSettings) -> list[Any]:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.select(erasures.c.erased_by, erasures.c.found))).all())
    finally:
        await engine.dispose()


async def token_of(client: httpx.AsyncClient, upstream_id: str) -> httpx.Response:
    return await client.get(f"/v1/people/{upstream_id}", headers=bearer(ADMIN))


async def test_an_erased_person_is_nowhere_in_ingest_and_the_record_keeps_their_token(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    token = (await token_of(client, "cm-000417")).json()["token"]
    assert (await client.delete("/v1/people/cm-000417")).status_code == 403
    answer = await client.delete("/v1/people/cm-000417", headers=bearer(ADMIN))
    assert answer.status_code == 200 and answer.json()["erased"] is True
    assert (await token_of(client, "cm-000417")).status_code == 404
    assert "cm-000417" not in await every_row(settings)
    stored = (await client.get("/v1/events")).json()["events"]
    assert [e["data"]["person_id"] for e in stored] == [token]
    assert await erasure_record(settings) == [("API key 'admin'", True)]


async def test_after_an_erasure_a_resent_event_is_a_duplicate_and_a_new_one_a_new_person(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    await client.delete("/v1/people/cm-000417", headers=bearer(ADMIN))
    again = await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    assert again.json()["events"][0]["status"] == "duplicate"
    assert (await token_of(client, "cm-000417")).status_code == 404
    later = await client.post("/v1/events", json=event("training.attended", "t-2", {**ATTENDED, "session_id": "s-2"}))
    assert later.json()["events"][0]["status"] == "accepted"
    first, second = (e["data"]["person_id"] for e in (await client.get("/v1/events")).json()["events"])
    assert TOKEN.fullmatch(second) and second != first


async def test_a_champion_leaving_with_erase_loses_their_mapping(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    await client.post("/v1/events", json=event("champion.joined", "c-1", JOINED))
    stay = {"champion_id": "cog-0032", "left_on": "2025-09-01"}
    left = {"champion_id": "cog-0031", "left_on": "2025-09-01", "erase": True}
    await client.post("/v1/events", json=[event("champion.left", "c-2", left), event("champion.left", "c-3", stay)])
    assert (await token_of(client, "cog-0031")).status_code == 404
    assert (await token_of(client, "cog-0032")).status_code == 200
    assert "cog-0031" not in await every_row(settings)
    joined, leaving, _ = (e["data"]["champion_id"] for e in (await client.get("/v1/events")).json()["events"])
    assert joined == leaving
    assert [found for _, found in await erasure_record(settings)] == [True]


async def test_coprod_erase_forgets_the_person_on_the_same_store(
    client: httpx.AsyncClient, settings: IngestSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    await client.post("/v1/events", json=event("training.attended", "t-1", ATTENDED))
    assert await erase_person("cm-000417", settings) == 0
    assert await erase_person("cm-000417", settings) == 0
    said = capsys.readouterr().out
    assert "erased" in said and "held no one" in said and "cm-000417" not in said
    assert (await token_of(client, "cm-000417")).status_code == 404
    assert [found for _, found in await erasure_record(settings)] == [True, False]
