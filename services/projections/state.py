"""The fixed tables (migrated by alembic): which generation is live, and how far each generation has got.

`watermark` is gap-free: every position up to it is applied to that generation. `head` is the event store's
last position as last seen, so `head - watermark` is how far behind the figures are. `read_model_version` is
the READ_MODEL_VERSION its tables were built with (upgrade.py rebuilds a live one built with an older one).

A generation's tables are dropped only when nobody can be reading or writing them: readers hold a shared
lock (`reading`), writers the generation's own (apply.py `serialise`), and the drop takes both exclusively.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, Table, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import as_utc
from shared.locks import AdvisoryLock
from shared.migrations import hold_migration_lock

from .apply import serialise
from .tables import READ_MODEL_VERSION, read_model

metadata = MetaData()
live = Table(
    "projections_live", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", Integer, nullable=False),
)
progress_table = Table(
    "projections_progress", metadata,
    Column("generation", Integer, primary_key=True, autoincrement=False),
    Column("watermark", BigInteger, nullable=False),
    Column("head", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True)),
    Column("read_model_version", Integer, nullable=False, server_default="1"),
)
_READERS = AdvisoryLock("projections readers")


@dataclass(frozen=True)
class Progress:
    """How up to date the live figures are: the last gap-free position applied, and the store's head."""

    generation: int
    position: int
    head: int
    lag: int
    updated_at: datetime | None
    version: int


async def create_generation(engine: AsyncEngine, generation: int) -> None:
    """Create the read-model tables of `generation` (if missing) and its progress row.

    One built by an older READ_MODEL_VERSION is left as it is until its rebuild: a table added since, created
    empty beside the others, would give figures of nothing rather than an error (routes.py answers 503 for those).
    Only `set_aside` is added to it, empty as it should be, so its writers can set events aside meanwhile.
    """
    async with engine.begin() as conn:
        await hold_migration_lock(conn, "projections")  # processes starting together would create them twice
        found = await conn.scalar(
            select(progress_table.c.read_model_version).where(progress_table.c.generation == generation)
        )
        model = read_model(generation)
        if found is not None and found < READ_MODEL_VERSION:
            await conn.run_sync(model.set_aside.create, checkfirst=True)
            return
        await conn.run_sync(model.metadata.create_all)
        if found is None:
            await conn.execute(progress_table.insert().values(
                generation=generation, watermark=0, head=0, read_model_version=READ_MODEL_VERSION
            ))


async def drop_generation(engine: AsyncEngine, generation: int) -> None:
    """Drop once its writers and every reader are done; later writes to it fail (and are retried elsewhere)."""
    async with engine.begin() as conn:
        await serialise(conn, generation)
        await _readers_lock(conn, "pg_advisory_xact_lock")
        await conn.run_sync(read_model(generation).metadata.drop_all)
        await conn.execute(progress_table.delete().where(progress_table.c.generation == generation))


async def generations(engine: AsyncEngine) -> set[int]:
    """Every generation that has a progress row: the live one, and any a killed rebuild left behind."""
    async with engine.connect() as conn:
        return set((await conn.scalars(select(progress_table.c.generation))).all())


async def live_generation(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return await _live_on(conn)


async def _live_on(conn: AsyncConnection) -> int:
    found = await conn.scalar(select(live.c.generation).where(live.c.id == 1))
    return int(found) if found is not None else 1


@contextlib.asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncConnection, Progress]]:
    """A connection to read the live generation on, and how up to date it is: its tables stay until it closes.

    PostgreSQL: a shared lock that a drop waits for, taken before the live generation is read, so a reader
    sees either a generation that stays or the new one. SQLite (WAL): one read transaction, one snapshot, in
    which the tables read stay whatever is dropped meanwhile.
    """
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await _readers_lock(conn, "pg_advisory_xact_lock_shared")
        else:
            await conn.exec_driver_sql("BEGIN")
        yield conn, await _generation_progress_on(conn, await _live_on(conn))


async def _readers_lock(conn: AsyncConnection, function: str) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(text(_READERS.take(function)))


async def switch_live(engine: AsyncEngine, generation: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(live).where(live.c.id == 1).values(generation=generation))


async def generation_progress(engine: AsyncEngine, generation: int) -> Progress:
    async with engine.connect() as conn:
        return await _generation_progress_on(conn, generation)


async def _generation_progress_on(conn: AsyncConnection, generation: int) -> Progress:
    row = (await conn.execute(select(progress_table).where(progress_table.c.generation == generation))).first()
    if row is None:
        return Progress(generation, 0, 0, 0, None, READ_MODEL_VERSION)
    lag = max(row.head - row.watermark, 0)
    updated_at = as_utc(row.updated_at) if row.updated_at is not None else None
    return Progress(generation, row.watermark, row.head, lag, updated_at, row.read_model_version)


async def progress(engine: AsyncEngine) -> Progress:
    """How far the live generation has got."""
    return await generation_progress(engine, await live_generation(engine))


async def save_progress(engine: AsyncEngine, generation: int, watermark: int, head: int) -> None:
    values = {"watermark": watermark, "head": max(head, watermark), "updated_at": datetime.now(UTC)}
    async with engine.begin() as conn:
        await conn.execute(update(progress_table).where(progress_table.c.generation == generation).values(**values))
