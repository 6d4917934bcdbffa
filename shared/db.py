"""Async SQLAlchemy engines for PostgreSQL (production) and SQLite (the embedded default)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from .locks import AdvisoryLock


def make_engine(url: str, schema: str | None = None, **options: Any) -> AsyncEngine:
    """An engine whose connections see `schema` first (PostgreSQL) or a WAL-mode file (SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, **options)
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["server_settings"] = {"search_path": schema}
    return create_async_engine(url, connect_args=connect_args, pool_pre_ping=True, **options)


async def ensure_schema(engine: AsyncEngine, schema: str | None) -> None:
    if schema and engine.dialect.name == "postgresql":
        async with engine.begin() as conn:  # two processes creating it at once would clash: they take turns
            await conn.execute(text(AdvisoryLock("create schema").take()))
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))


async def drop_schema(url: str, schema: str | None) -> None:
    """Drop a PostgreSQL schema and everything in it (the schemas tests and benches make for themselves)."""
    if not schema or make_url(url).get_backend_name() != "postgresql":
        return
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()


def _sqlite_engine(url: str, database: str | None, **options: Any) -> AsyncEngine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 30}, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def insert(conn: AsyncConnection, table: sa.Table) -> Any:
    """An INSERT that knows ON CONFLICT on both PostgreSQL and SQLite."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def as_utc(moment: datetime) -> datetime:
    """A datetime as read back from the database: SQLite keeps no offset, and coprod stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
