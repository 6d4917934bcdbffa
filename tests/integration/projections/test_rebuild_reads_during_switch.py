"""Figures asked for while rebuilds switch generations and drop the old ones: never an error, never other figures."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from kpis import YEAR, Kpis, running, settings_for
from memory_log import MemoryLog
from projection_helpers import Database, many, store, stored
from waiting import eventually_async

from services.projections.apply import apply_events
from services.projections.rebuild import rebuild
from services.projections.state import live_generation, reading
from services.projections.tables import read_model
from services.projections.views import Filters, Period, summary

RAWS = many(1500, seed=11)
ASKED = [("summary", {}), ("coproduction", {"group_by": "region"}), ("coproduction", {"group_by": "month"})]


async def test_summary_and_breakdowns_stay_whole_and_equal_through_rebuilds(
    database: Database, redis_url: str, stream_prefix: str
) -> None:
    # A tiny cache lifetime: the old tables are dropped right after the switch, while readers are still on them.
    settings = settings_for(database.url, database.schema, redis_url, stream_prefix).model_copy(
        update={"live_generation_ttl_seconds": 0.01}
    )
    async with running(settings) as kpis:
        await apply_events(kpis.engine, read_model(await live_generation(kpis.engine)), stored(RAWS))
        expected = [await _figures(kpis, path, params) for path, params in ASKED]
        stop = asyncio.Event()
        answers: list[tuple[int, Any, int]] = []
        askers = [asyncio.create_task(_ask(kpis, n, stop, answers)) for n in range(4)]
        try:
            for generation in (2, 3, 4):
                assert await rebuild(kpis.engine, MemoryLog(RAWS), settings, show=False) == generation
        finally:
            stop.set()
            await asyncio.gather(*askers)
    errors = [(status, body) for status, body, _ in answers if status != 200]
    assert not errors, errors[:3]
    assert all(body == expected[which] for _, body, which in answers)
    assert len(answers) >= 12


async def test_a_reader_on_the_old_generation_keeps_its_tables_until_it_is_done(
    database: Database, redis_url: str, stream_prefix: str
) -> None:
    settings = settings_for(database.url, database.schema, redis_url, stream_prefix).model_copy(
        update={"live_generation_ttl_seconds": 0.01}
    )
    year, everything = Period(date(2025, 4, 1), date(2026, 3, 31)), Filters(None, None, None)
    async with store(database) as engine:
        await apply_events(engine, read_model(1), stored(RAWS))
        async with reading(engine) as (conn, now):
            before = await summary(conn, read_model(1), year, everything)
        async with reading(engine) as (conn, now):  # reads which generation is live, and nothing else yet
            assert now.generation == 1
            rebuilding = asyncio.create_task(rebuild(engine, MemoryLog(RAWS), settings, show=False))
            await eventually_async(lambda: _is_live(engine, 2), "the switch to generation 2")
            await asyncio.sleep(0.3)
            if engine.dialect.name == "postgresql":  # the drop waits for this reader (SQLite's reader has a snapshot)
                assert not rebuilding.done()
            assert await summary(conn, read_model(1), year, everything) == before
        assert await rebuilding == 2
        async with reading(engine) as (conn, now):
            assert now.generation == 2 and await summary(conn, read_model(2), year, everything) == before


async def _is_live(engine: Any, generation: int) -> bool:
    return await live_generation(engine) == generation


async def _ask(kpis: Kpis, n: int, stop: asyncio.Event, answers: list[tuple[int, Any, int]]) -> None:
    while not stop.is_set():
        which = n % len(ASKED)
        path, params = ASKED[which]
        response = await kpis.client.get(f"/v1/kpis/{path}", params={**YEAR, **params})
        answers.append((response.status_code, _without_stamp(response.json()), which))
        n += 1


async def _figures(kpis: Kpis, path: str, params: dict[str, str]) -> Any:
    return _without_stamp(await kpis.get(path, **params))


def _without_stamp(body: Any) -> Any:
    if isinstance(body, dict):
        body.pop("as_of", None)
    return body
