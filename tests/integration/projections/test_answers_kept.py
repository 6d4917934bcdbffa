"""A repeated question is answered from memory only while the figures have not moved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from kpis import Events, Kpis, running, settings_for
from waiting import eventually_async

from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        yield found


def recorded(e: Events, activity_id: str, level: str) -> None:
    e.add("engagement.recorded", activity_id=activity_id, occurred_on="2025-06-10", level=level,
          activity_type="meeting", mode="virtual", region="north")


async def _when_applied_through(kpis: Kpis, position: int, path: str, **params: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body = await kpis.get(path, **params)
        return body if body["as_of"]["position"] == position else None

    return await eventually_async(probe, f"the figures as of position {position}")


@pytest.mark.parametrize(("path", "params"), [("summary", {}), ("coproduction", {"group_by": "level"})])
async def test_figures_asked_again_follow_every_event_applied(kpis: Kpis, path: str, params: dict[str, str]) -> None:
    e = Events()
    recorded(e, "a1", "co_producing")
    await kpis.apply(e)
    first = await _when_applied_through(kpis, 1, path, **params)
    assert await kpis.get(path, **params) == first

    recorded(e, "a2", "consulting")
    e.add("engagement.amended", "2025-06-02T10:00:00Z", activity_id="a1", level="engaging")
    await kpis.apply(e.made[1:])
    later = await _when_applied_through(kpis, 3, path, **params)
    if path == "summary":
        assert (first["engagement"]["coproduced"], later["engagement"]["coproduced"]) == (1, 0)
        assert later["engagement"]["activities"] == 2
    else:
        assert [r["level"] for r in first["rows"]] == ["co_producing"]
        assert sorted(r["level"] for r in later["rows"]) == ["consulting", "engaging"]
