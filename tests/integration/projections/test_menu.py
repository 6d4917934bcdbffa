"""The Menu of Involvement and the national C&S Customer Group's figures, as projections answers them."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from kpis import YEAR, Events, Kpis, running, settings_for
from memory_log import MemoryLog
from projection_helpers import dump, projections_settings, store

from services.projections.apply import apply_events
from services.projections.rebuild import rebuild
from services.projections.tables import read_model
from tests.conftest import Database

TODAY = date.today()
AGO = f"{TODAY - timedelta(days=3)}T10:00:00Z"
SOON = str(TODAY + timedelta(days=20))


def menu_events() -> Events:
    e = Events()
    e.add("service.registered", AGO, service_id="s1", name="Maple Court", service_type="retirement_living",
          region="north")
    e.add("opportunity.published", AGO, opportunity_id="garden", title="Plan the garden", summary="Pick plants",
          scope="service", service_id="s1", closes_on=SOON, open_to="customers", mode="face_to_face",
          topics=["environment"], starts_at=f"{SOON}T14:00:00+00:00", places=2, location="Maple Court lounge",
          accessibility_support="Step-free room", expenses_paid=True, how_to_take_part="Tell the staff")
    e.add("opportunity.published", AGO, opportunity_id="strategy", title="Shape the strategy", summary="Online",
          scope="national", closes_on=SOON, mode="virtual", topics=["strategy"], customer_group_meeting=True)
    e.add("opportunity.published", AGO, opportunity_id="panel", title="Recruit a manager", summary="Panel",
          scope="regional", region="south", closes_on=SOON, open_to="colleagues", mode="hybrid",
          topics=["recruitment"])
    e.add("opportunity.published", AGO, opportunity_id="tea", title="Tea and a chat", summary="About the region",
          scope="regional", region="north", closes_on=SOON, mode="written")
    e.add("opportunity.published", AGO, opportunity_id="gone", title="Filled", summary="Was full", scope="national",
          closes_on=SOON)
    e.add("opportunity.closed", AGO, opportunity_id="gone", closed_on=str(TODAY - timedelta(days=1)), reason="filled")
    e.add("opportunity.published", "2025-05-01T10:00:00Z", opportunity_id="old", title="Old", summary="Expired",
          scope="service", service_id="s1", closes_on="2025-06-01")
    for person in ("p1", "p2", "p3"):
        e.add("opportunity.signed_up", AGO, opportunity_id="garden", person_id=person, role="customer")
    return e


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(menu_events())
        yield found


async def menu(kpis: Kpis, **params: str) -> dict[str, Any]:
    answer = await kpis.client.get("/v1/menu", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [row["opportunity_id"] for row in body["rows"]]


async def test_the_menu_lists_what_is_open_today_with_what_a_person_needs_to_know(kpis: Kpis) -> None:
    body = await menu(kpis)
    assert body["on"] == date.today().isoformat()  # asked afresh: a run may pass midnight after TODAY was set
    assert sorted(ids(body)) == ["garden", "panel", "strategy", "tea"]
    garden = next(row for row in body["rows"] if row["opportunity_id"] == "garden")
    assert garden["service_name"] == "Maple Court" and garden["region"] == "north"
    assert (garden["location"], garden["accessibility_support"], garden["expenses_paid"]) == (
        "Maple Court lounge", "Step-free room", True)
    assert (garden["places"], garden["places_left"], garden["closes_on"]) == (2, 0, SOON)
    assert garden["starts_at"].startswith(f"{SOON}T14:00:00") and garden["how_to_take_part"] == "Tell the staff"
    assert "person_id" not in str(body) and "p1" not in str(body)
    assert body["choices"] == {"services": [{"service_id": "s1", "name": "Maple Court", "region": "north"}],
                               "regions": ["north", "south"], "modes": ["face_to_face", "hybrid", "virtual", "written"],
                               "topics": ["environment", "recruitment", "strategy"],
                               "open_to": ["both", "colleagues", "customers"]}


async def test_the_menu_narrows_by_region_mode_topic_and_who_can_take_part(kpis: Kpis) -> None:
    assert sorted(ids(await menu(kpis, region="north"))) == ["garden", "strategy", "tea"]  # national is everywhere
    assert sorted(ids(await menu(kpis, service_id="s1"))) == ["garden", "strategy", "tea"]  # its own, region's, all
    assert ids(await menu(kpis, mode="hybrid")) == ["panel"]
    assert ids(await menu(kpis, topic="environment")) == ["garden"]
    assert sorted(ids(await menu(kpis, open_to="customers"))) == ["garden", "strategy", "tea"]
    assert sorted(ids(await menu(kpis, open_to="colleagues"))) == ["panel", "strategy", "tea"]
    assert ids(await menu(kpis, region="south", open_to="customers")) == ["strategy"]
    assert ids(await menu(kpis, region="nowhere", mode="written")) == []
    refused = await kpis.client.get("/v1/menu", params={"mode": "carrier pigeon"})
    assert refused.status_code == 422 and "face_to_face" in refused.json()["detail"]


async def test_one_opportunity_has_its_own_answer_open_or_closed(kpis: Kpis) -> None:
    strategy = (await kpis.client.get("/v1/menu/strategy")).json()
    assert strategy["status"] == "open" and strategy["customer_group_meeting"] is True
    assert strategy["places_left"] is None and strategy["open_to"] == "both"
    assert (await kpis.client.get("/v1/menu/gone")).json()["status"] == "closed"
    missing = await kpis.client.get("/v1/menu/nothing-like-it")
    assert missing.status_code == 404 and "nothing-like-it" in missing.json()["detail"]


def group_year(e: Events) -> Events:
    """National opportunities of 2025-26, each accessible in some ways; members and others signing up."""
    national = {"summary": "s", "scope": "national", "closes_on": "2025-12-01"}
    e.add("opportunity.published", opportunity_id="all3", title="a", mode="virtual", accessibility_support="BSL",
          expenses_paid=True, customer_group_meeting=True, **national)
    e.add("opportunity.published", opportunity_id="room", title="b", mode="face_to_face", accessibility_support="Loop",
          **national)
    e.add("opportunity.published", opportunity_id="paid", title="c", mode="hybrid", expenses_paid=True,
          customer_group_meeting=True, **national)
    e.add("opportunity.published", opportunity_id="local", title="d", mode="virtual", scope="regional", region="north",
          summary="s", closes_on="2025-12-01", accessibility_support="BSL", expenses_paid=True)
    e.add("champion.joined", champion_id="m1", role="customer", joined_on="2025-04-01", national_customer_group=True)
    e.add("champion.joined", champion_id="m2", role="colleague", joined_on="2025-04-01")
    e.add("champion.preferences_updated", "2025-06-02T10:00:00Z", champion_id="m2", national_customer_group=True)
    e.add("champion.joined", champion_id="m3", role="customer", joined_on="2025-04-01", national_customer_group=True)
    e.add("champion.preferences_updated", "2025-06-02T10:00:00Z", champion_id="m3", national_customer_group=False)
    e.add("champion.joined", champion_id="m4", role="customer", joined_on="2025-04-01", national_customer_group=True)
    e.add("champion.left", champion_id="m4", left_on="2025-09-01")
    for opportunity, person, role in [("all3", "m1", "customer"), ("paid", "m1", "customer"),
                                      ("all3", "m2", "colleague"), ("all3", "m3", "customer"),
                                      ("room", "x9", "customer"), ("local", "m1", "customer")]:
        e.add("opportunity.signed_up", opportunity_id=opportunity, person_id=person, role=role)
    return e


async def test_the_customer_group_figures_count_accessible_national_opportunities_and_who_took_them_up(
    kpis: Kpis,
) -> None:
    e = menu_events()
    applied = len(e.made)
    await kpis.apply(group_year(e).made[applied:])
    body = await kpis.get("customer-group")
    assert body["national_opportunities"] == {
        "published": 3, "group_meetings": 2, "support_offered": 2, "virtual_or_hybrid": 2, "expenses_paid": 2,
        "all_three": 1,
    }
    assert body["sign_ups"] == {"customers": 4, "colleagues": 1, "group_members": 3, "not_group_members": 2,
                                "total": 5, "people": 4}  # m3 left the group, m4 left the champions
    assert body["members"] == {"customer": 1, "colleague": 1, "total": 2}
    assert (await kpis.get("customer-group", region="north"))["filters_not_applied"] == ["region"]
    text = (await kpis.client.get("/v1/kpis/customer-group", params={**YEAR, "format": "csv"})).text
    rows = {(r["Figure"], r["Value"]) for r in csv.DictReader(io.StringIO(text))}
    assert ("National opportunities: All three", "1") in rows and ("Sign-ups: Group members", "3") in rows


async def test_a_rebuild_gives_the_menu_and_the_group_figures_the_live_path_gave(database: Database) -> None:
    raws = [event.model_dump(mode="json", exclude_unset=True, exclude={"position"})
            for event in group_year(menu_events()).made]
    stored = MemoryLog(raws)
    events = await stored.read(0, len(raws))
    shuffled = random.Random(4).sample(events, len(events))
    async with store(database) as engine:
        for start in range(0, len(shuffled), 5):
            await apply_events(engine, read_model(1), shuffled[start:start + 5] + shuffled[:2])
        live = await dump(engine, 1)
        settings = projections_settings(database, "redis://unused", "unused:", live_generation_ttl_seconds=0.05)
        assert await rebuild(engine, stored, settings, show=False) == 2
        assert await dump(engine, 2) == live
