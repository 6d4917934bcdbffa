"""The two statements on the append path, written for each database: they decide how fast ingest takes events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import events

Known = dict[tuple[str, str], tuple[str, int]]
_LOOKUP_CHUNK = 1000
_COLUMNS = ("position", "source", "id", "type", "time", "subject", "event", "digest", "recorded_at")
_PG_TYPES = ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMPTZ", "TEXT", "TEXT", "VARCHAR", "TIMESTAMPTZ")
# One statement for any number of rows, always the same text, so asyncpg prepares it once.
_PG_INSERT = sa.text(
    f"INSERT INTO events ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in zip(_COLUMNS, _PG_TYPES, strict=True))
    + ")"
)
_PG_KNOWN = sa.text(
    "SELECT e.source, e.id, e.digest, e.position FROM events AS e"
    " JOIN unnest(CAST(:sources AS VARCHAR[]), CAST(:ids AS VARCHAR[])) AS k(source, id)"
    " ON e.source = k.source AND e.id = k.id"
)


async def insert_rows(connection: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if connection.dialect.name == "postgresql":
        await connection.execute(_PG_INSERT, {name: [row[name] for row in rows] for name in _COLUMNS})
    else:
        await connection.execute(events.insert(), rows)


async def known_events(connection: AsyncConnection, keys: Iterable[tuple[str, str]]) -> Known:
    """Digest and position of each (source, id) already stored, found through the (source, id) index."""
    wanted = sorted(set(keys))
    known: Known = {}
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        for row in await _lookup(connection, wanted[start : start + _LOOKUP_CHUNK]):
            known[(row.source, row.id)] = (row.digest, row.position)
    return known


async def _lookup(connection: AsyncConnection, keys: list[tuple[str, str]]) -> sa.Result[Any]:
    query: sa.Executable = _PG_KNOWN
    parameters: dict[str, Any] = {"sources": [source for source, _ in keys], "ids": [id_ for _, id_ in keys]}
    if connection.dialect.name != "postgresql":
        columns = (events.c.source, events.c.id, events.c.digest, events.c.position)
        query, parameters = sa.select(*columns).where(sa.tuple_(events.c.source, events.c.id).in_(keys)), {}
    result: sa.Result[Any] = await connection.execute(query, parameters)
    return result
