"""The event store: an append-only log with gap-free positions in commit order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.locks import AdvisoryLock

from . import store_pg
from .store_sql import Known, insert_rows, known_events
from .tables import events, relay_progress

Status = Literal["accepted", "duplicate"]
_APPEND_LOCK = AdvisoryLock("ingest append")  # appends of one schema take turns; other schemas' do not wait
LAST_POSITION = 2**63 - 1
"""The largest position either database can hold (a signed 64-bit integer)."""


@dataclass(frozen=True)
class NewEvent:
    """A checked event, ready to append: `body` is its JSON as received, `digest` its content's fingerprint.
    An event naming `people` (upstream ids) keeps its `raw` JSON until they are pseudonymised (`pseudonyms`)."""

    source: str
    id: str
    type: str
    time: datetime
    subject: str | None
    body: str
    digest: str
    people: tuple[str, ...] = ()
    raw: Any = field(default=None, compare=False, repr=False)
    forgets_people: bool = False


@dataclass(frozen=True)
class Outcome:
    id: str
    source: str
    status: Status
    position: int


@dataclass(frozen=True)
class StoredEvent:
    position: int
    type: str
    body: str

    def as_json(self) -> str:
        """The stored event with its position first, without parsing it again."""
        return f'{{"position":{self.position},{self.body[1:]}'


class Conflict(Exception):
    """The same source and id were stored before with different content."""

    def __init__(self, index: int, event: NewEvent) -> None:
        super().__init__(
            f"event {index} (source {event.source!r}, id {event.id!r}) was already received with different content;"
            " a correction must be a new event with a new id"
        )
        self.index = index


Appended = tuple[list[list[Outcome] | Conflict], list[tuple[NewEvent, int]]]


class EventStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer: AsyncConnection | None = None
        self.on_append: Callable[[list[StoredEvent]], None] = lambda _: None

    async def close(self) -> None:
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    async def append_groups(self, groups: Sequence[Sequence[NewEvent]]) -> list[list[Outcome] | Conflict]:
        """Append several requests in one transaction; a request with a conflict stores nothing."""
        connection = self._writer or await self.engine.connect()
        self._writer = None
        try:
            results, placed = await self._append_groups(connection, groups)
        except BaseException:
            await connection.invalidate()
            raise
        self._writer = connection
        self.on_append([StoredEvent(position, event.type, event.body) for event, position in placed])
        return results

    async def _append_groups(self, connection: AsyncConnection, groups: Sequence[Sequence[NewEvent]]) -> Appended:
        """On one connection kept open between appends: a pool checkout would cost a ping and a rollback."""
        keys = {(e.source, e.id) for group in groups for e in group}
        recorded_at = datetime.now(UTC)

        def place(known: Known, next_position: int) -> Appended:
            return _place_groups(groups, known, next_position)

        if self.engine.dialect.name == "postgresql":
            raw = (await connection.get_raw_connection()).driver_connection
            appended: Appended = await store_pg.append(raw, _APPEND_LOCK, keys, place, recorded_at)
            return appended
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
        results, placed = place(await known_events(connection, keys), await _head(connection) + 1)
        if placed:
            await insert_rows(connection, [_row(event, position, recorded_at) for event, position in placed])
        await connection.commit()
        return results, placed

    async def append(self, group: Sequence[NewEvent]) -> list[Outcome]:
        (result,) = await self.append_groups([group])
        if isinstance(result, Conflict):
            raise result
        return result

    async def read(self, after: int, limit: int) -> list[StoredEvent]:
        query = (
            sa.select(events.c.position, events.c.type, events.c.event)
            .where(events.c.position > after)
            .order_by(events.c.position)
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [StoredEvent(row.position, row.type, row.event) for row in rows]

    async def holding(self, types: Sequence[str], text: str = "") -> list[StoredEvent]:
        """The events of these types whose stored JSON holds `text`, in order: a rare look-up (a limited key's
        check), so a scan of those types is fine."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = (
            sa.select(events.c.position, events.c.type, events.c.event)
            .where(events.c.type.in_(list(types)), events.c.event.like(f"%{escaped}%", escape="\\"))
            .order_by(events.c.position)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [StoredEvent(row.position, row.type, row.event) for row in rows]

    async def head(self) -> int:
        async with self.engine.connect() as connection:
            return await _head(connection)

    async def published(self, name: str = "redis") -> int:
        query = sa.select(relay_progress.c.position).where(relay_progress.c.name == name)
        async with self.engine.connect() as connection:
            return int((await connection.execute(query)).scalar() or 0)

    async def mark_published(self, position: int, name: str = "redis") -> None:
        async with self.engine.begin() as connection:
            where = relay_progress.c.name == name
            updated = await connection.execute(relay_progress.update().where(where).values(position=position))
            if updated.rowcount == 0:
                await connection.execute(relay_progress.insert().values(name=name, position=position))


def _place_groups(groups: Sequence[Sequence[NewEvent]], known: Known, next_position: int) -> Appended:
    results: list[list[Outcome] | Conflict] = []
    placed: list[tuple[NewEvent, int]] = []
    for group in groups:
        outcome, rows = _place(group, known, next_position + len(placed))
        results.append(outcome)
        placed.extend(rows)
    return results, placed


def _place(
    group: Sequence[NewEvent], known: Known, next_position: int
) -> tuple[list[Outcome] | Conflict, list[tuple[NewEvent, int]]]:
    staged: Known = {}
    outcomes: list[Outcome] = []
    rows: list[tuple[NewEvent, int]] = []
    for index, event in enumerate(group):
        key = (event.source, event.id)
        seen = staged.get(key) or known.get(key)
        if seen is not None:
            if seen[0] != event.digest:
                return Conflict(index, event), []
            outcomes.append(Outcome(event.id, event.source, "duplicate", seen[1]))
            continue
        position = next_position + len(rows)
        staged[key] = (event.digest, position)
        rows.append((event, position))
        outcomes.append(Outcome(event.id, event.source, "accepted", position))
    known.update(staged)
    return outcomes, rows


def _row(event: NewEvent, position: int, recorded_at: datetime) -> dict[str, object]:
    return {
        "position": position,
        "source": event.source,
        "id": event.id,
        "type": event.type,
        "time": event.time.astimezone(UTC),
        "subject": event.subject,
        "event": event.body,
        "digest": event.digest,
        "recorded_at": recorded_at,
    }


async def _head(connection: AsyncConnection) -> int:
    return int((await connection.execute(sa.select(sa.func.max(events.c.position)))).scalar() or 0)
