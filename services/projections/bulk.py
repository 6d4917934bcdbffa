"""Bulk writes and key look-ups, in the fastest form each database offers.

On PostgreSQL every column travels as one array (`INSERT … SELECT FROM unnest(…)`, `= ANY(…)`), so each
statement has a fixed text, is prepared once, and takes one round trip whatever the number of rows.
SQLite gets plain executemany and IN lists (it is in-process: round trips cost nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, ColumnElement, Table, any_, literal, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.schema import Column

Row = dict[str, Any]


def one_of(conn: AsyncConnection, column: Column[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    if conn.dialect.name == "postgresql":
        return column == any_(literal(list(values), postgresql.ARRAY(column.type)))
    return column.in_(values)


async def insert_new(
    conn: AsyncConnection, table: Table, rows: Sequence[Row], returning: str | None = None
) -> list[Any]:
    """Insert the rows whose key is not there yet; returns `returning` of those inserted."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        sql = _unnest_insert(table, "DO NOTHING", returning)
        result = await conn.execute(text(sql), _arrays(table, rows))
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing()
        returned = stmt.returning(table.c[returning]) if returning is not None else stmt
        result = await conn.execute(returned, list(rows))
    return [row[0] for row in result] if returning is not None else []


async def copy_in(conn: AsyncConnection, table: Table, rows: Sequence[Row]) -> None:
    """Insert rows that are all new, each with every column (a fresh generation being filled)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        await insert_new(conn, table, rows)
        return
    names = [c.name for c in table.columns]
    await copy_records(conn, table, list(map(itemgetter(*names), rows)))


async def copy_records(conn: AsyncConnection, table: Table, records: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY of tuples in the table's column order (JSON columns as JSON text)."""
    raw = await conn.get_raw_connection()
    names = [c.name for c in table.columns]
    await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)  # type: ignore[union-attr]


async def upsert(conn: AsyncConnection, table: Table, rows: Sequence[Row]) -> None:
    """Insert or replace each row by its primary key; rows that would not change are left alone."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        await conn.execute(text(_unnest_insert(table, _do_update(table))), _arrays(table, rows))
        return
    stmt = sqlite.insert(table)
    changes = {c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key}
    keys = [c.name for c in table.primary_key]
    await conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes), list(rows))


def _arrays(table: Table, rows: Sequence[Row]) -> dict[str, list[Any]]:
    arrays: dict[str, list[Any]] = {}
    for column in table.columns:
        values = [row.get(column.name) for row in rows]
        if isinstance(column.type, JSON):
            values = [None if v is None else orjson.dumps(v).decode() for v in values]
        arrays[column.name] = values
    return arrays


@cache
def _unnest_insert(table: Table, on_conflict: str, returning: str | None = None) -> str:
    names = ", ".join(_q(c.name) for c in table.columns)
    arrays = ", ".join(f"CAST(:{c.name} AS {_array_type(c)})" for c in table.columns)
    picked = ", ".join(f"CAST({_q(c.name)} AS JSON)" if isinstance(c.type, JSON) else _q(c.name) for c in table.columns)
    keys = ", ".join(_q(c.name) for c in table.primary_key)
    sql = (
        f"INSERT INTO {_q(table.name)} ({names}) SELECT {picked} FROM unnest({arrays}) AS u({names}) "
        f"ON CONFLICT ({keys}) {on_conflict}"
    )
    return sql + (f" RETURNING {_q(returning)}" if returning else "")


@cache
def _do_update(table: Table) -> str:
    others = [_q(c.name) for c in table.columns if not c.primary_key]
    changes = ", ".join(f"{name} = excluded.{name}" for name in others)
    mine = ", ".join(f"{_q(table.name)}.{name}" for name in others)
    theirs = ", ".join(f"excluded.{name}" for name in others)
    return f"DO UPDATE SET {changes} WHERE ({mine}) IS DISTINCT FROM ({theirs})"


def _array_type(column: Column[Any]) -> str:
    if isinstance(column.type, JSON):
        return "TEXT[]"
    return f"{column.type.compile(dialect=postgresql.dialect())}[]"  # type: ignore[no-untyped-call]


def _q(name: str) -> str:
    return f'"{name}"'
