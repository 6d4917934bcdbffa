from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from kpis import WRITE_KEY, YEAR, Kpis, running, settings_for
from test_figures import hand_worked_year

from tests.conftest import Database

ENDPOINTS = ["summary", "coproduction", "ladder", "activities", "commitments", "training", "feedback", "opportunities"]


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(hand_worked_year())
        yield found


async def csv_rows(kpis: Kpis, path: str, **params: str) -> list[dict[str, str]]:
    response = await kpis.client.get(f"/v1/kpis/{path}", params={**YEAR, **params, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_every_endpoint_needs_a_key_with_the_read_scope(kpis: Kpis, path: str) -> None:
    without = await kpis.client.get(f"/v1/kpis/{path}", headers={"Authorization": ""})
    assert without.status_code == 401
    write_only = await kpis.client.get(f"/v1/kpis/{path}", headers={"Authorization": f"Bearer {WRITE_KEY}"})
    assert write_only.status_code == 403
    assert "read" in write_only.json()["detail"]
    assert {without.headers["content-type"], write_only.headers["content-type"]} == {"application/problem+json"}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2026-01-01", "to": "2025-01-01"}, "'from'"),
        ({"from": "2025-13-01"}, "'from'"),
        ({"to": "31/03/2026"}, "'to'"),
        ({"format": "xlsx"}, "'format'"),
    ],
)
async def test_bad_parameters_are_refused_naming_the_parameter(kpis: Kpis, params: dict[str, str], named: str) -> None:
    response = await kpis.client.get("/v1/kpis/summary", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert named in response.json()["detail"]
    assert response.json()["title"] == "Some of what was sent is not valid"


async def test_an_unknown_grouping_is_refused_with_the_ones_there_are(kpis: Kpis) -> None:
    response = await kpis.client.get("/v1/kpis/coproduction", params={"group_by": "week"})
    assert response.status_code == 422
    assert "'group_by'" in response.json()["detail"]
    assert "quarter" in response.json()["detail"]


async def test_the_summary_as_csv_carries_the_same_numbers(kpis: Kpis) -> None:
    body = await kpis.summary()
    rows = {(row["Section"], row["Figure"]): row for row in await csv_rows(kpis, "summary")}
    assert rows[("Engagement", "Activities")]["Value"] == str(body["engagement"]["activities"])
    rate = rows[("Engagement", "Co-production rate (%)")]
    expected = body["engagement"]["coproduction_rate"]
    assert float(rate["Value"]) == expected["value"] * 100
    assert (int(rate["Numerator"]), int(rate["Denominator"])) == (expected["numerator"], expected["denominator"])
    assert rows[("Engagement", "By level: Co-designing")]["Value"] == "1"
    assert rows[("Training", "People trained: Total")]["Value"] == str(body["training"]["people_trained"]["total"])
    assert rows[("Up to date", "Last event applied")]["Value"] == str(body["as_of"]["position"])
    assert {row["Period from"] for row in rows.values()} == {YEAR["from"]}


async def test_asking_for_text_csv_in_the_accept_header_gives_csv(kpis: Kpis) -> None:
    response = await kpis.client.get("/v1/kpis/summary", params=YEAR, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == (
        "Period from,Period to,As at,Region,Service,Service type,Section,Figure,Value,Numerator,Denominator"
    )


async def test_the_default_period_is_the_current_financial_year(kpis: Kpis) -> None:
    response = await kpis.client.get("/v1/kpis/summary")
    period = response.json()["period"]
    assert (period["from"][5:], period["to"][5:]) == ("04-01", "03-31")
    assert int(period["to"][:4]) == int(period["from"][:4]) + 1


async def test_coproduction_by_quarter_and_by_level(kpis: Kpis) -> None:
    by_quarter = await kpis.get("coproduction", group_by="quarter")
    assert [(r["quarter"], r["activities"], r["coproduced"]) for r in by_quarter["rows"]] == [
        ("2025-26 Q1", 1, 1),
        ("2025-26 Q2", 1 + 1 + 1, 0),
    ]
    by_level = {r["level"]: r for r in (await kpis.get("coproduction", group_by="level"))["rows"]}
    assert by_level["co_producing"]["coproduction_rate"] == {"value": 1.0, "numerator": 1, "denominator": 1}
    months = await csv_rows(kpis, "coproduction", group_by="month")
    assert [(r["Month"], r["Activities"], r["Co-production rate (%)"]) for r in months][0] == ("2025-06", "1", "100.0")


async def test_the_ladder_by_quarter_agrees_with_coproduction_and_the_summary(kpis: Kpis) -> None:
    ladder = (await kpis.get("ladder", group_by="quarter"))["rows"]
    by_quarter = (await kpis.get("coproduction", group_by="quarter"))["rows"]
    assert [(r["group"], r["activities"], r["co_producing"]) for r in ladder] == [
        (r["quarter"], r["activities"], r["coproduced"]) for r in by_quarter
    ]
    by_level = (await kpis.summary())["engagement"]["by_level"]
    assert {level: sum(r[level] for r in ladder) for level in by_level} == by_level
    months = await csv_rows(kpis, "ladder", group_by="month")
    assert months[0]["Group"] == "2025-06" and months[0]["Co-producing"] == "1"
    assert (await kpis.client.get("/v1/kpis/ladder", params={"group_by": "region"})).status_code == 422


async def test_the_activity_register_lists_what_the_figures_count(kpis: Kpis) -> None:
    engagement = (await kpis.summary())["engagement"]
    rows = (await kpis.get("activities"))["rows"]
    assert len(rows) == engagement["activities"]
    assert [r["occurred_on"] for r in rows] == sorted((r["occurred_on"] for r in rows), reverse=True)
    co_produced = (await kpis.get("activities", level="co_producing"))["rows"]
    assert len(co_produced) == engagement["coproduced"] and {r["level"] for r in co_produced} == {"co_producing"}
    assert (await kpis.client.get("/v1/kpis/activities", params={"level": "shouting"})).status_code == 422


async def test_commitments_list_services_without_one_first(kpis: Kpis) -> None:
    rows = (await kpis.get("commitments"))["rows"]
    assert [(r["service_id"], r["commitment_held"], r["review_due"]) for r in rows] == [
        ("s2", False, False),
        ("s1", True, True),
    ]
    assert [r["Commitment held"] for r in await csv_rows(kpis, "commitments")] == ["no", "yes"]


async def test_training_by_month_mode_and_role(kpis: Kpis) -> None:
    rows = (await kpis.get("training"))["rows"]
    assert [(r["month"], r["mode"], r["role"], r["people_trained"]) for r in rows] == [
        ("2025-06", "face_to_face", "colleague", 1),
        ("2025-06", "face_to_face", "customer", 1),
        ("2025-07", "virtual", "customer", 1),
    ]


async def test_feedback_by_kind_theme_and_service(kpis: Kpis) -> None:
    rows: list[dict[str, Any]] = (await kpis.get("feedback"))["rows"]
    assert [(r["kind"], r["service_id"], r["received"], r["responded"], r["actioned"]) for r in rows] == [
        ("complaint", "s1", 1, 1, 1),
        ("compliment", "s2", 1, 0, 0),
    ]


async def test_opportunities_with_their_alerts_and_sign_ups(kpis: Kpis) -> None:
    rows = (await kpis.get("opportunities"))["rows"]
    assert [(r["opportunity_id"], r["status"], r["alerts_sent"], r["sign_ups"]) for r in rows] == [
        ("o1", "open", 1, 1),
        ("o2", "closed", 1, 0),
    ]
    as_csv = await csv_rows(kpis, "opportunities")
    assert [(r["Opportunity id"], r["Status"], r["Sign-ups"]) for r in as_csv] == [
        ("o1", "open", "1"),
        ("o2", "closed", "0"),
    ]


@pytest.mark.parametrize("path", ENDPOINTS[1:])
async def test_every_breakdown_is_stamped_and_narrows_by_region(kpis: Kpis, path: str) -> None:
    body = await kpis.get(path, region="north")
    assert set(body["as_of"]) == {"position", "lag", "updated_at"}
    assert body["filters"]["region"] == "north"
    totals_row = 1 if path == "training" else 0
    assert len(await csv_rows(kpis, path, region="north")) == len(body["rows"]) + totals_row


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "0001-01-01"}, "'from' must be a day from 1900-01-01 to 2199-12-31"),
        ({"to": "9999-12-31"}, "'to' must be a day from 1900-01-01 to 2199-12-31"),
        ({"service_id": "s1\x00"}, "control character"),
        ({"region": "north\u0085"}, "control character"),
        ({"region": "r" * 201}, "at most 200 characters"),
    ],
)
async def test_parameters_past_their_bounds_are_refused_in_plain_words(
    kpis: Kpis, params: dict[str, str], named: str
) -> None:
    """Once 500s on PostgreSQL: 9999-12-31 overflowed a month's arithmetic, and its text holds no NUL."""
    for path in ENDPOINTS:
        response = await kpis.client.get(f"/v1/kpis/{path}", params=params)
        assert response.status_code == 422, (path, response.text)
        assert named in str(response.json()), (path, response.text)
