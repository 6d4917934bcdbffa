"""Apply events to one generation of the read-model, exactly once, whatever the order they arrive in.

In one transaction: each event goes into `facts` unless its position is there already (that row is the
record that it was applied); every thing a new event touches is folded again from all of its facts and its
rows upserted. Applying the same events twice, or in another order, gives the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events import Event

from .folds import APPENDED, KIND_OF, Fact, Row, key_of
from .tables import ReadModel

CHUNK = 5000
_LOCK_BASE = 0x70_726F_6A00_0000  # + generation: one writer per generation at a time (see `_serialise`)


async def apply_events(engine: AsyncEngine, model: ReadModel, events: Sequence[Event]) -> int:
    """Apply `events` in one transaction; returns how many of them were new to this generation."""
    facts = as_facts(events)
    if not facts:
        return 0
    async with engine.begin() as conn:
        await _serialise(conn, model.generation)
        new = await _record(conn, model, facts)
        if new:
            await _refold(conn, model, new)
    return len(new)


def as_facts(events: Iterable[Event]) -> list[Fact]:
    facts: dict[int, Fact] = {}
    for event in events:
        if event.position is None:
            raise ValueError(f"event {event.id} from {event.source} has no position; only stored events can be applied")
        data = event.data.model_dump(mode="json", exclude_unset=True)
        key = key_of(event.type, data)
        facts[event.position] = Fact(event.position, event.type, key, event.time.astimezone(UTC), data)
    return list(facts.values())


async def _serialise(conn: AsyncConnection, generation: int) -> None:
    """Folds read other transactions' facts, so writers of one generation take turns (SQLite always does)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_BASE + generation})


async def _record(conn: AsyncConnection, model: ReadModel, facts: list[Fact]) -> list[Fact]:
    rows = [{"position": f.position, "type": f.type, "key": f.key, "time": f.time, "data": f.data} for f in facts]
    stmt = _insert(conn, model.facts).on_conflict_do_nothing(index_elements=["position"])
    inserted = await conn.execute(stmt.returning(model.facts.c.position), rows)
    new = {position for (position,) in inserted}
    return [f for f in facts if f.position in new]


async def _refold(conn: AsyncConnection, model: ReadModel, new: list[Fact]) -> None:
    await _append(conn, model, new)
    touched = {(KIND_OF[f.type].table, f.key) for f in new if f.type in KIND_OF}
    if not touched:
        return
    rows = _fold(touched, await _facts_of(conn, model, touched))
    await _upsert(conn, model.services, rows.pop("services", []))
    await _upsert(conn, model.activities, await _placed(conn, model, rows.pop("activities", [])))
    for table, table_rows in rows.items():
        await _upsert(conn, getattr(model, table), table_rows)
    await _replace_services_of_activities(conn, model, {key for table, key in touched if table == "services"})


async def _append(conn: AsyncConnection, model: ReadModel, new: list[Fact]) -> None:
    rows: dict[str, list[Row]] = defaultdict(list)
    for fact in new:
        if appended := APPENDED.get(fact.type):
            rows[appended[0]].append(appended[2](fact))
    for table, table_rows in rows.items():
        await conn.execute(_insert(conn, getattr(model, table)).on_conflict_do_nothing(), table_rows)


async def _facts_of(conn: AsyncConnection, model: ReadModel, touched: set[tuple[str, str]]) -> list[Fact]:
    types = sorted({t for t, kind in KIND_OF.items() if any(kind.table == table for table, _ in touched)})
    keys = sorted({key for _, key in touched})
    found: list[Fact] = []
    columns = model.facts.c
    for start in range(0, len(keys), CHUNK):
        query = select(columns.position, columns.type, columns.key, columns.time, columns.data).where(
            columns.type.in_(types), columns.key.in_(keys[start : start + CHUNK])
        )
        found.extend(Fact(p, t, k, _aware(when), d) for p, t, k, when, d in await conn.execute(query))
    return found


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


async def _placed(conn: AsyncConnection, model: ReadModel, activities: list[Row]) -> list[Row]:
    """Each activity's region (its own, else its service's) and its service's type."""
    service_ids = sorted({row["service_id"] for row in activities if row["service_id"] is not None})
    services: dict[str, Any] = {}
    columns = model.services.c
    for start in range(0, len(service_ids), CHUNK):
        query = select(columns.service_id, columns.region, columns.service_type).where(
            columns.service_id.in_(service_ids[start : start + CHUNK])
        )
        services.update({sid: (region, kind) for sid, region, kind in await conn.execute(query)})
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
            .where(activities.c.service_id.in_(ids[start : start + CHUNK]))
            .values(region=func.coalesce(activities.c.named_region, region), service_type=kind)
        )


async def _upsert(conn: AsyncConnection, table: Table, rows: list[Row]) -> None:
    if not rows:
        return
    stmt = _insert(conn, table)
    keys = [column.name for column in table.primary_key]
    changes = {column.name: stmt.excluded[column.name] for column in table.columns if not column.primary_key}
    await conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes), rows)


def _insert(conn: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
