"""Apply events to one generation of the read-model, exactly once, whatever the order they arrive in.

In one transaction: each event goes into `facts` unless its position is there already (that row is the
record that it was applied); every thing a new event touches is folded again from all of its facts and its
rows upserted. Applying the same events twice, or in another order, gives the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC
from functools import cache
from typing import Any

import orjson
from sqlalchemy import TextClause, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.consuming import stored_event
from shared.db import as_utc
from shared.events import Event
from shared.locks import AdvisoryLock

from .bulk import insert_new, one_of, upsert
from .folds import APPENDED, KIND_OF, Fact, Row, key_of
from .tables import ReadModel

CHUNK = 5000


@cache
def _serialising(generation: int) -> TextClause:
    """One writer per generation at a time (see `serialise`), and the settings of its transaction."""
    writers = AdvisoryLock(f"projections writers {generation}")
    return text(
        f"{writers.take()}, set_config('enable_seqscan', 'off', true), set_config('synchronous_commit', 'off', true)"
    )


async def apply_events(engine: AsyncEngine, model: ReadModel, events: Sequence[Event]) -> int:
    """Apply `events` in one transaction; returns how many of them were new to this generation."""
    return await apply_facts(engine, model, as_facts(events))


async def apply_facts(engine: AsyncEngine, model: ReadModel, facts: Sequence[Fact]) -> int:
    """`apply_events` of events already made facts (`fact_of`)."""
    facts = list({fact.position: fact for fact in facts}.values())
    if not facts:
        return 0
    async with engine.begin() as conn:
        await serialise(conn, model.generation)
        new = await _record(conn, model, facts)
        if new:
            await _refold(conn, model, new)
    return len(new)


def as_facts(events: Iterable[Event]) -> list[Fact]:
    return [fact_of(event) for event in events]


def fact_of(event: Event) -> Fact:
    if event.position is None:
        raise ValueError(f"event {event.id} from {event.source} has no position; only stored events can be applied")
    data = event.data.model_dump(mode="json", exclude_unset=True)
    return Fact(event.position, event.type, key_of(event.type, data), event.time.astimezone(UTC), data)


def entry_fact(body: dict[str, Any]) -> Fact:
    """A stream entry as the projector takes it (the consumers' `parse`)."""
    return fact_of(stored_event(body))


async def serialise(conn: AsyncConnection, generation: int) -> None:
    """Folds read other transactions' facts, so writers of one generation take turns (SQLite always does).

    On PostgreSQL, also: every look-up here is by key (tables filled faster than autovacuum analyses them
    look tiny to the planner); and the commit does not wait for its WAL to reach the disk. The event store is
    the durable record: a machine crash can lose the last fraction of a second of applied events, whose
    positions are then missing above the watermark and are filled from the event store like any gap. (The
    watermark is saved by a waiting commit after the facts it covers, so it never runs ahead of them.)
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(_serialising(generation))


async def _record(conn: AsyncConnection, model: ReadModel, facts: list[Fact]) -> list[Fact]:
    if conn.dialect.name == "postgresql":
        new = set(await _record_on_postgres(conn, model, facts))
    else:
        new = set(await insert_new(conn, model.facts, [fact_row(f) for f in facts], returning="position"))
    return [f for f in facts if f.position in new]


async def _record_on_postgres(conn: AsyncConnection, model: ReadModel, facts: list[Fact]) -> list[int]:
    sql = (
        f'INSERT INTO "{model.facts.name}" (position, type, key, time, data) SELECT p, t, k, m, d::json '
        "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(p, t, k, m, d) "
        "ON CONFLICT (position) DO NOTHING RETURNING position"
    )
    columns = (
        [f.position for f in facts],
        [f.type for f in facts],
        [f.key for f in facts],
        [f.time for f in facts],
        [orjson.dumps(f.data).decode() for f in facts],
    )
    raw = await conn.get_raw_connection()
    return [row[0] for row in await raw.driver_connection.fetch(sql, *columns)]  # type: ignore[union-attr]


def fact_row(fact: Fact) -> Row:
    return {"position": fact.position, "type": fact.type, "key": fact.key, "time": fact.time, "data": fact.data}


async def _refold(conn: AsyncConnection, model: ReadModel, new: list[Fact]) -> None:
    await append(conn, model, new)
    touched = {(KIND_OF[f.type].table, f.key) for f in new if f.type in KIND_OF}
    if not touched:
        return
    folded = [fact for fact in new if fact.type in KIND_OF]
    rows = _fold(touched, [*folded, *await _older_facts_of(conn, model, touched, new)])
    services = rows.pop("services", [])
    moved = await _moved(conn, model, services)
    await upsert(conn, model.services, services)
    await upsert(conn, model.activities, await _placed(conn, model, rows.pop("activities", [])))
    for table, table_rows in rows.items():
        await upsert(conn, getattr(model, table), table_rows)
    await _replace_services_of_activities(conn, model, moved)


async def append(conn: AsyncConnection, model: ReadModel, new: list[Fact]) -> None:
    """The rows of the event types that are one row each (commitment events, attendance)."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for fact in new:
        if appended := APPENDED.get(fact.type):
            rows[appended[0]].append(appended[2](fact))
    for table, table_rows in rows.items():
        await insert_new(conn, getattr(model, table), table_rows)


async def _older_facts_of(
    conn: AsyncConnection, model: ReadModel, touched: set[tuple[str, str]], new: list[Fact]
) -> list[Fact]:
    """The facts already applied of the things touched (the new ones are in hand)."""
    tables = {table for table, _ in touched}
    types = sorted(t for t, kind in KIND_OF.items() if kind.table in tables)
    keys = sorted({key for _, key in touched})
    if conn.dialect.name == "postgresql":
        return await _older_facts_on_postgres(conn, model, types, keys, [fact.position for fact in new])
    found: list[Fact] = []
    columns = model.facts.c
    for start in range(0, len(keys), CHUNK):
        query = select(columns.position, columns.type, columns.key, columns.time, columns.data).where(
            one_of(conn, columns.type, types),
            one_of(conn, columns.key, keys[start : start + CHUNK]),
        )
        found.extend(Fact(p, t, k, as_utc(when), d) for p, t, k, when, d in await conn.execute(query))
    fresh = {fact.position for fact in new}
    return [fact for fact in found if fact.position not in fresh]


async def _older_facts_on_postgres(
    conn: AsyncConnection, model: ReadModel, types: list[str], keys: list[str], fresh: list[int]
) -> list[Fact]:
    """Straight from the driver, data as JSON text, the batch's own facts left out by a hashed anti-join."""
    sql = (
        f'SELECT position, type, key, time, data::text FROM "{model.facts.name}" '
        "WHERE type = ANY($1::text[]) AND key = ANY($2::text[]) AND position NOT IN (SELECT unnest($3::bigint[]))"
    )
    raw = await conn.get_raw_connection()
    rows = await raw.driver_connection.fetch(sql, types, keys, fresh)  # type: ignore[union-attr]
    return [Fact(p, t, k, when, orjson.loads(d)) for p, t, k, when, d in rows]


def _fold(touched: set[tuple[str, str]], facts: list[Fact]) -> dict[str, list[Row]]:
    by_thing: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        thing = (KIND_OF[fact.type].table, fact.key)
        if thing in touched:
            by_thing[thing].append(fact)
    rows: dict[str, list[Row]] = defaultdict(list)
    for (table, key), thing_facts in by_thing.items():
        rows[table].extend(KIND_OF[thing_facts[0].type].fold(key, thing_facts))
    return rows


async def _moved(conn: AsyncConnection, model: ReadModel, services: list[Row]) -> set[str]:
    """The services that are new or change region or type: their activities must follow."""
    before = await _places(conn, model, [row["service_id"] for row in services])
    return {row["service_id"] for row in services if before.get(row["service_id"]) != _place(row)}


def _place(service: Row) -> tuple[Any, Any]:
    return (service["region"], service["service_type"])


async def _places(conn: AsyncConnection, model: ReadModel, service_ids: list[str]) -> dict[str, tuple[Any, Any]]:
    found: dict[str, tuple[Any, Any]] = {}
    columns = model.services.c
    for start in range(0, len(service_ids), CHUNK):
        query = select(columns.service_id, columns.region, columns.service_type).where(
            one_of(conn, columns.service_id, service_ids[start : start + CHUNK])
        )
        found.update({sid: (region, kind) for sid, region, kind in await conn.execute(query)})
    return found


async def _placed(conn: AsyncConnection, model: ReadModel, activities: list[Row]) -> list[Row]:
    """Each activity's region (its own, else its service's) and its service's type."""
    services = await _places(conn, model, sorted({r["service_id"] for r in activities if r["service_id"] is not None}))
    return place(activities, services)


def place(activities: list[Row], services: dict[str, tuple[Any, Any]]) -> list[Row]:
    for row in activities:
        region, kind = services.get(row["service_id"], (None, None))
        row["region"] = row["named_region"] or region
        row["service_type"] = kind
    return activities


async def _replace_services_of_activities(conn: AsyncConnection, model: ReadModel, service_ids: set[str]) -> None:
    activities, services = model.activities, model.services
    of_service = services.c.service_id == activities.c.service_id
    region = select(services.c.region).where(of_service).scalar_subquery()
    kind = select(services.c.service_type).where(of_service).scalar_subquery()
    ids = sorted(service_ids)
    for start in range(0, len(ids), CHUNK):
        await conn.execute(
            update(activities)
            .where(one_of(conn, activities.c.service_id, ids[start : start + CHUNK]))
            .values(region=func.coalesce(activities.c.named_region, region), service_type=kind)
        )
