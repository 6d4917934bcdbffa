"""Which services moved up the ladder quarter on quarter, over the API, on the rollups (PostgreSQL) or the table."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from kpis import Events, Kpis, running, settings_for
from test_figures import activity, services

from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    e = Events()
    services(e)
    for n, (on, level, service) in enumerate([
        ("2025-07-10", "informing", "s1"), ("2025-09-30", "informing", "s1"), ("2025-08-01", "co_producing", "s2"),
        ("2025-10-01", "co_producing", "s1"), ("2025-12-31", "consulting", "s1"), ("2025-11-05", "informing", "s2"),
        ("2025-11-06", "co_producing", "s3"), ("2026-01-02", "educating", "s1"),
    ]):
        activity(e, f"a{n}", on, level, service)
    e.add("engagement.withdrawn", activity_id="a4", reason="duplicate")
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(e.made)
        yield found


async def test_a_service_whose_activities_climbed_is_first_and_one_that_fell_is_last(kpis: Kpis) -> None:
    rows = (await kpis.get("ladder/moves", **{"from": "2025-04-01", "to": "2025-12-31"}))["rows"]
    assert [(r["service_id"], r["rung_before"], r["rung"], r["moved"]) for r in rows] == [
        ("s1", 2.0, 6.0, "up"), ("s2", 6.0, 2.0, "down")]
    assert (rows[0]["quarter_before"], rows[0]["quarter"]) == ("2025-26 Q2", "2025-26 Q3")
    assert (rows[0]["activities_before"], rows[0]["activities"]) == (2, 1)


async def test_a_region_narrows_the_services(kpis: Kpis) -> None:
    rows = (await kpis.get("ladder/moves", **{"from": "2025-04-01", "to": "2025-12-31", "region": "south"}))["rows"]
    assert [r["service_id"] for r in rows] == ["s2"]
