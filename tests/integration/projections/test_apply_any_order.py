"""Any delivery order, with duplicates and in any batches, gives the rows in-order-once gives."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_helpers import Database, dump, store, stored, story
from sqlalchemy.ext.asyncio import AsyncEngine

from services.projections.apply import apply_events
from services.projections.state import create_generation
from services.projections.tables import read_model

EVENTS = stored(story())
ALL = list(range(len(EVENTS)))
again = st.lists(st.sampled_from(ALL), max_size=2 * len(ALL))
deliveries = again.flatmap(lambda extra: st.permutations(ALL + extra))
batch_sizes = st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=deliveries, sizes=batch_sizes)
async def test_duplicated_shuffled_batched_delivery_gives_the_same_rows(
    database: Database, order: list[int], sizes: list[int]
) -> None:
    async with store(database, 2) as engine:
        await create_generation(engine, 1)
        await apply_events(engine, read_model(1), EVENTS)
        await _empty(engine, 2)
        start = 0
        for size in itertools.cycle(sizes):
            if start >= len(order):
                break
            await apply_events(engine, read_model(2), [EVENTS[i] for i in order[start : start + size]])
            start += size
        assert await dump(engine, 2) == await dump(engine, 1)


async def _empty(engine: AsyncEngine, generation: int) -> None:
    async with engine.begin() as conn:
        tables = read_model(generation).metadata.sorted_tables
        for table in sorted(tables, key=lambda t: "summing" in t.info):  # rollups last: deletes from the rest fold in
            await conn.execute(table.delete())
