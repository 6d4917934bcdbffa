"""Answers a person reads right: the day status figures are judged on, filters that name nothing, names by service."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from kpis import YEAR, Kpis, running, settings_for
from test_figures import hand_worked_year

from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(hand_worked_year())
        yield found


async def test_status_figures_of_a_period_not_yet_ended_are_judged_today(kpis: Kpis) -> None:
    today = date.today()
    e = hand_worked_year()
    applied = len(e.made)
    e.add("opportunity.published", f"{today - timedelta(days=5)}T10:00:00Z", opportunity_id="soon",
          title="Garden day", summary="Plan the garden", scope="national", closes_on=str(today + timedelta(days=40)))
    e.add("commitment.signed", commitment_id="c9", service_id="s2", signed_on=str(today - timedelta(days=60)),
          review_due_on=str(today + timedelta(days=20)))
    await kpis.apply(e.made[applied:])
    period = {"from": (today - timedelta(days=100)).isoformat(), "to": (today + timedelta(days=100)).isoformat()}
    body = await kpis.summary(**period)
    assert body["as_at"] == today.isoformat()
    assert body["opportunities"]["open"] >= 1
    assert body["commitments"]["due_for_review"] == 1  # c1, due in January; c9 falls due only after today
    rows = (await kpis.get("opportunities", **period))["rows"]
    assert [r["status"] for r in rows if r["opportunity_id"] == "soon"] == ["open"]
    assert (await kpis.summary())["as_at"] == min(today, date.fromisoformat(YEAR["to"])).isoformat()


async def test_an_unknown_filter_value_is_refused_naming_the_values_there_are(kpis: Kpis) -> None:
    region = await kpis.client.get("/v1/kpis/summary", params={**YEAR, "region": "North West"})
    assert region.status_code == 422
    assert region.headers["content-type"] == "application/problem+json"
    assert "'North West'" in region.json()["detail"] and "north, south" in region.json()["detail"]
    assert region.json()["errors"][0]["field"] == "region"
    kind = await kpis.client.get("/v1/kpis/training", params={**YEAR, "service_type": "hostel"})
    assert kind.status_code == 422 and "retirement_living" in kind.json()["detail"]
    service = await kpis.client.get("/v1/kpis/feedback", params={**YEAR, "service_id": "s99"})
    assert service.status_code == 422 and "/v1/kpis/dimensions" in service.json()["detail"]
    assert (await kpis.client.get("/v1/kpis/summary", params={**YEAR, "region": "north"})).status_code == 200


async def test_the_dimensions_list_every_choice_with_service_names(kpis: Kpis) -> None:
    found = (await kpis.client.get("/v1/kpis/dimensions")).json()
    assert found["regions"] == ["north", "south"]
    assert [(s["service_id"], s["name"]) for s in found["services"]] == [
        ("s3", "Ash Team"), ("s2", "Elm House"), ("s1", "Oak Court")
    ]
    assert [s["closed_on"] for s in found["services"]] == ["2026-01-31", None, None]
    assert "floating_support" in found["service_types"]


async def test_breakdowns_by_service_carry_the_service_name(kpis: Kpis) -> None:
    by_service = (await kpis.get("coproduction", group_by="service"))["rows"]
    assert {(r["service"], r["name"]) for r in by_service} >= {("s1", "Oak Court"), ("s2", "Elm House")}
    feedback = (await kpis.get("feedback"))["rows"]
    assert {r["service_name"] for r in feedback if r["service_id"] == "s1"} == {"Oak Court"}


async def test_a_filter_that_does_not_narrow_a_figure_is_said_in_the_answer(kpis: Kpis) -> None:
    body = await kpis.summary(service_type="supported_accommodation")
    assert body["filters_not_applied"] == {
        "training": ["service_type"], "champions": ["service_type"], "opportunities": ["service_type"],
        "notifications": ["service_type"],
    }
    assert (await kpis.summary())["filters_not_applied"] == {}
    assert (await kpis.get("training", service_type="other"))["filters_not_applied"] == ["service_type"]


async def test_the_training_csv_ends_with_totals_that_are_not_the_sum_of_its_rows(kpis: Kpis) -> None:
    body = await kpis.get("training")
    assert body["totals"]["people_trained"]["total"] < sum(row["people_trained"] for row in body["rows"])
    answer = await kpis.client.get("/v1/kpis/training", params={**YEAR, "format": "csv", "region": "north"})
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows[-1]["Month"] == "Whole period (not the sum of the rows above)"
    north = await kpis.get("training", region="north")
    assert rows[-1]["People trained"] == str(north["totals"]["people_trained"]["total"])
    assert {(r["Period from"], r["Period to"], r["Region"], r["Service type"]) for r in rows} == {
        (YEAR["from"], YEAR["to"], "north", "all")
    }
