"""Training by module over the API: each person counted once a module, however many of its sessions they came to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from kpis import Kpis, running, settings_for
from test_figures import hand_worked_year

from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    e = hand_worked_year()
    e.add("training.session_held", session_id="t3", held_on="2025-11-01", module="intro", mode="virtual",
          region="north")
    e.add("training.attended", session_id="t3", person_id="p1", role="customer")
    e.add("training.attended", session_id="t3", person_id="p3", role="colleague")
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        await found.apply(e.made)
        yield found


def _row(module: str, sessions: int, customers: int, colleagues: int) -> dict[str, object]:
    return {"module": module, "sessions": sessions, "customers": customers, "colleagues": colleagues,
            "people": customers + colleagues}


async def test_each_module_counts_its_sessions_and_each_person_once(kpis: Kpis) -> None:
    assert (await kpis.get("training/modules"))["rows"] == [_row("intro", 2, 1, 2), _row("next", 1, 1, 0)]


async def test_a_region_narrows_the_modules_to_its_sessions(kpis: Kpis) -> None:
    body = await kpis.get("training/modules", region="north")
    assert body["rows"] == [_row("intro", 2, 1, 2)]
    assert body["filters"]["region"] == "north"


async def test_the_modules_are_in_the_api_docs(kpis: Kpis) -> None:
    docs = (await kpis.client.get("/openapi.json")).json()
    assert "ModuleRow" in docs["components"]["schemas"]
    assert "/v1/kpis/training/modules" in docs["paths"]
