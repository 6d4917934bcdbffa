"""Replaying the event store into a fresh generation, which nobody else writes to until it is switched in.

Everything in it is new, so nothing is folded page by page: the facts (and the one-row-each tables) are
loaded page by page, then every thing is folded once from all of its facts, read back sorted by key, and the
rollups are summed once with their triggers paused. Ingest checked every event on the way in: a stored
event's `data` is checked against its model again (so `facts` holds exactly what the live path stores),
its envelope is not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import AwareDatetime, TypeAdapter
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import as_utc
from shared.events import EVENT_TYPES

from .apply import append, fact_row, place, serialise
from .bulk import copy_in, copy_records, insert_new, one_of
from .folds import KIND_OF, KINDS, Fact, Row, key_of
from .set_aside import SetAside, record
from .tables import ReadModel, rollup_insert

FLUSH = 20_000
_MOMENT: TypeAdapter[datetime] = TypeAdapter(AwareDatetime)
_SERVICE_TYPES = [t for kind in KINDS if kind.table == "services" for t in kind.types]
_OTHER_TYPES = [t for kind in KINDS if kind.table != "services" for t in kind.types]


def stored_fact(raw: Mapping[str, Any]) -> Fact:
    """A stored event as the folds see it; raises ValueError if it no longer meets the contract."""
    model = EVENT_TYPES.get(raw["type"])
    if model is None:
        raise ValueError(f"the projections do not know what a {raw['type']!r} event is about")
    data = model.model_validate(raw["data"]).model_dump(mode="json", exclude_unset=True)
    moment = _MOMENT.validate_python(raw["time"]).astimezone(UTC)
    return Fact(int(raw["position"]), raw["type"], key_of(raw["type"], data), moment, data)


async def prepare(engine: AsyncEngine, model: ReadModel) -> None:
    """Drop the facts' key index while they are loaded: built once at the end, it costs a fraction."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            for index in model.facts.indexes:
                await conn.execute(text(f'DROP INDEX IF EXISTS "{index.name}"'))


async def load(engine: AsyncEngine, model: ReadModel, facts: Sequence[Fact], refused: Sequence[SetAside] = ()) -> None:
    """Record facts in one transaction, with their one-row-each rows and the events set aside among them; the things
    they touch are folded later."""
    async with engine.begin() as conn:
        await record(conn, model, refused)
        if conn.dialect.name == "postgresql":
            records = [(f.position, f.type, f.key, f.time, orjson.dumps(f.data).decode()) for f in facts]
            await copy_records(conn, model.facts, records)
        else:
            await insert_new(conn, model.facts, [fact_row(f) for f in facts])
        await append(conn, model, list(facts))


async def fold_everything(engine: AsyncEngine, model: ReadModel, report: Callable[[int], object]) -> None:
    """Fold every thing of the generation from its facts, in one transaction."""
    async with engine.begin() as conn:
        await serialise(conn, model.generation)
        await _pause_rollups(conn, model)
        await _index_facts(conn, model)
        services = [row async for _, rows, _ in _folded(conn, model, _SERVICE_TYPES) for row in rows]
        await copy_in(conn, model.services, services)
        places = {row["service_id"]: (row["region"], row["service_type"]) for row in services}
        pending: dict[str, list[Row]] = defaultdict(list)
        done = 0
        async for table, rows, facts in _folded(conn, model, _OTHER_TYPES):
            pending[table].extend(rows)
            done += facts
            if len(pending[table]) >= FLUSH:
                await _write(conn, model, pending, places)
                report(done)
        await _write(conn, model, pending, places)
        report(done)
        await _resume_rollups(conn, model)


async def _folded(
    conn: AsyncConnection, model: ReadModel, types: list[str]
) -> AsyncIterator[tuple[str, list[Row], int]]:
    """(table, rows, how many facts) of each thing that facts of these types make, one thing at a time."""
    async for key, facts in _facts_by_key(conn, model, types):
        by_table: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_table[KIND_OF[fact.type].table].append(fact)
        for table, thing_facts in by_table.items():
            yield table, KIND_OF[thing_facts[0].type].fold(key, thing_facts), len(thing_facts)


async def _facts_by_key(
    conn: AsyncConnection, model: ReadModel, types: list[str]
) -> AsyncIterator[tuple[str, list[Fact]]]:
    c = model.facts.c
    query = select(c.key, c.position, c.type, c.time, c.data).where(one_of(conn, c.type, types))
    query = query.order_by(_bytewise(conn, c.key))
    key: str | None = None
    facts: list[Fact] = []
    result = await conn.stream(query.execution_options(yield_per=FLUSH))
    async for rows in result.partitions():
        for found, position, kind, moment, data in rows:
            if found != key:
                if key is not None:
                    yield key, facts
                key, facts = found, []
            facts.append(Fact(position, kind, found, as_utc(moment), data))
    await result.close()
    if key is not None:
        yield key, facts


async def _write(conn: AsyncConnection, model: ReadModel, pending: dict[str, list[Row]], places: Any) -> None:
    place(pending.get("activities", []), places)
    for table, rows in pending.items():
        await copy_in(conn, getattr(model, table), rows)
    pending.clear()


async def _pause_rollups(conn: AsyncConnection, model: ReadModel) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL work_mem = '256MB'"))
        await conn.execute(text("SET LOCAL enable_seqscan = on"))
        for table in model.rollups():
            await conn.execute(text(f"ALTER TABLE {table.name} DISABLE TRIGGER USER"))


async def _resume_rollups(conn: AsyncConnection, model: ReadModel) -> None:
    """Sum the rollups once from every row, then let the triggers keep them from here on."""
    if conn.dialect.name == "postgresql":
        for table, rollups in model.rollups().items():
            for rollup in rollups:
                await conn.execute(text(rollup_insert(rollup, table.name)))
            await conn.execute(text(f"ALTER TABLE {table.name} ENABLE TRIGGER USER"))


async def _index_facts(conn: AsyncConnection, model: ReadModel) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for index in model.facts.indexes:
            await conn.run_sync(index.create, checkfirst=True)


def _bytewise(conn: AsyncConnection, column: Any) -> Any:
    """Any order that keeps each key's facts together will do; byte order sorts fastest."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column
