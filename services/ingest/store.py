"""The event store: an append-only log with gap-free positions in commit order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .tables import events, relay_progress

Status = Literal["accepted", "duplicate"]
_APPEND_LOCK = 0x1A6E55
_LOOKUP_CHUNK = 1000


@dataclass(frozen=True)
class NewEvent:
    """A checked event, ready to append: `body` is its JSON as received, `digest` its content's fingerprint."""

    source: str
    id: str
    type: str
    time: datetime
    subject: str | None
    body: str
    digest: str


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


Known = dict[tuple[str, str], tuple[str, int]]


class EventStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def append_groups(self, groups: Sequence[Sequence[NewEvent]]) -> list[list[Outcome] | Conflict]:
        """Append several requests in one transaction; a request with a conflict stores nothing."""
        async with self.engine.connect() as connection:
            await self._lock(connection)
            known = await _known(connection, {(e.source, e.id) for group in groups for e in group})
            next_position = await _head(connection) + 1
            recorded_at = datetime.now(UTC)
            results: list[list[Outcome] | Conflict] = []
            rows: list[dict[str, object]] = []
            for group in groups:
                placed = _place(group, known, next_position, recorded_at)
                results.append(placed[0])
                rows.extend(placed[1])
                next_position += len(placed[1])
            if rows:
                await connection.execute(events.insert(), rows)
            await connection.commit()
        return results

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

    async def _lock(self, connection: AsyncConnection) -> None:
        if self.engine.dialect.name == "postgresql":
            await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})
        else:
            await connection.exec_driver_sql("BEGIN IMMEDIATE")


def _place(
    group: Sequence[NewEvent], known: Known, next_position: int, recorded_at: datetime
) -> tuple[list[Outcome] | Conflict, list[dict[str, object]]]:
    staged: Known = {}
    outcomes: list[Outcome] = []
    rows: list[dict[str, object]] = []
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
        rows.append(_row(event, position, recorded_at))
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


async def _known(connection: AsyncConnection, keys: Iterable[tuple[str, str]]) -> Known:
    wanted = set(keys)
    ids = sorted({event_id for _, event_id in wanted})
    known: Known = {}
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start : start + _LOOKUP_CHUNK]
        query = sa.select(events.c.source, events.c.id, events.c.digest, events.c.position).where(
            events.c.id.in_(chunk)
        )
        for row in await connection.execute(query):
            if (row.source, row.id) in wanted:
                known[(row.source, row.id)] = (row.digest, row.position)
    return known
