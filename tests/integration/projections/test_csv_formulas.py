"""Text that a spreadsheet would run as a formula comes out of every KPI CSV defused (OWASP: a leading quote)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import pytest
from kpis import YEAR, Events, Kpis, running, settings_for

from tests.conftest import Database

TITLE = '=HYPERLINK("http://evil.example/x","Open the panel")'
SERVICE = "@SUM(1+1)*cmd|' /C calc'!A0"
REGION = "+north"
THEME = "-2+3"


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    events = Events()
    events.add("service.registered", service_id=SERVICE, name="Oak", service_type="other", region=REGION)
    events.add("engagement.recorded", activity_id="a1", occurred_on="2025-05-01", activity_type="meeting",
               level="co_producing", mode="virtual", service_id=SERVICE)
    events.add("feedback.received", feedback_id="f1", service_id=SERVICE, received_on="2025-06-01",
               kind="comment", theme=THEME)
    events.add("opportunity.published", opportunity_id="\tTAB", title=TITLE, summary="Join us", scope="national",
               closes_on="2025-12-01")
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(events)
        yield found


async def _cells(kpis: Kpis, path: str, **params: str) -> list[str]:
    response = await kpis.client.get(f"/v1/kpis/{path}", params={**YEAR, **params, "format": "csv"})
    assert response.status_code == 200, response.text
    return [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]


@pytest.mark.parametrize(("path", "params"), [
    ("summary", {}), ("coproduction", {"group_by": "service"}), ("coproduction", {"group_by": "region"}),
    ("commitments", {}), ("training", {}), ("feedback", {}), ("opportunities", {}),
])
async def test_no_csv_cell_starts_a_formula(kpis: Kpis, path: str, params: dict[str, str]) -> None:
    cells = await _cells(kpis, path, **params)
    assert [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")] == []
    assert [cell for cell in cells if cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit()] == []


async def test_text_that_looks_like_a_formula_is_kept_behind_a_quote(kpis: Kpis) -> None:
    assert f"'{SERVICE}" in await _cells(kpis, "coproduction", group_by="service")
    assert f"'{REGION}" in await _cells(kpis, "coproduction", group_by="region")
    opportunities = await _cells(kpis, "opportunities")
    assert f"'{TITLE}" in opportunities or "'\tTAB" in opportunities
