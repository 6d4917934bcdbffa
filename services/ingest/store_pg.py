"""PostgreSQL's append path in three round trips: BEGIN with the append lock, one statement, COMMIT.

The statement inserts the whole group only if none of its (source, id) pairs is stored yet, numbering the rows
after the head it reads under the lock; otherwise it inserts nothing and returns the stored pairs, and the group
is placed again knowing them (the slow path: repeats and conflicts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from shared.locks import AdvisoryLock

_COLUMNS = "source, id, type, time, subject, event, digest"
_APPEND = f"""
WITH head AS (SELECT coalesce(max(position), 0) AS at FROM events),
known AS (
    SELECT e.source, e.id, e.digest, e.position FROM events AS e
    JOIN unnest($1::varchar[], $2::varchar[]) AS k(source, id) ON e.source = k.source AND e.id = k.id
),
inserted AS (
    INSERT INTO events (position, {_COLUMNS}, recorded_at)
    SELECT head.at + r.n, {", ".join(f"r.{name}" for name in _COLUMNS.split(", "))}, $3
    FROM head, unnest(
        $4::bigint[], $5::varchar[], $6::varchar[], $7::varchar[], $8::timestamptz[], $9::text[], $10::text[],
        $11::varchar[]
    ) AS r(n, {_COLUMNS})
    WHERE NOT EXISTS (SELECT 1 FROM known)
)
SELECT head.at, known.source, known.id, known.digest, known.position FROM head LEFT JOIN known ON true
"""
_INSERT = f"""
INSERT INTO events (position, {_COLUMNS}, recorded_at)
SELECT r.n, {", ".join(f"r.{name}" for name in _COLUMNS.split(", "))}, $1
FROM unnest(
    $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::timestamptz[], $7::text[], $8::text[],
    $9::varchar[]
) AS r(n, {_COLUMNS})
"""

Known = dict[tuple[str, str], tuple[str, int]]


Placement = tuple[Any, int]
"""An event (a `store.NewEvent`) and its position."""
Placed = TypeVar("Placed", bound=tuple[Any, Sequence[Placement]])


async def append(
    raw: Any, lock: AdvisoryLock, keys: set[tuple[str, str]], place: Callable[[Known, int], Placed], at: datetime
) -> Placed:
    """`place(known, first_position)` numbers the groups; the answer is what it returned, with positions final."""
    await raw.execute(f"BEGIN; {lock.take()}")
    found = await raw.fetch(_APPEND, *_lookup(keys), at, *_columns(place({}, 1)[1]))
    head = int(found[0]["at"])
    known = {(r["source"], r["id"]): (r["digest"], int(r["position"])) for r in found if r["source"] is not None}
    inserted = not known  # before `place`, which adds what it places to `known`
    placed = place(known, head + 1)
    if not inserted and placed[1]:
        await raw.execute(_INSERT, at, *_columns(placed[1]))
    await raw.execute("COMMIT")
    return placed


def _lookup(keys: set[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [source for source, _ in keys], [id_ for _, id_ in keys]


def _columns(placed: Sequence[Placement]) -> list[list[Any]]:
    return [
        [position for _, position in placed],
        [event.source for event, _ in placed],
        [event.id for event, _ in placed],
        [event.type for event, _ in placed],
        [event.time for event, _ in placed],
        [event.subject for event, _ in placed],
        [event.body for event, _ in placed],
        [event.digest for event, _ in placed],
    ]
