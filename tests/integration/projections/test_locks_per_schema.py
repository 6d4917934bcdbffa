"""Two coprod installations in two schemas of one PostgreSQL: neither ever waits for the other's locks.

Each case holds a lock in schema A and does the same in schema B, whose connections give up on any lock
after a few seconds (`lock_timeout`), so a lock shared by both schemas fails the test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from memory_log import MemoryLog
from projection_helpers import Database, many, projections_settings, store, stored
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from services.projections.apply import apply_events, serialise
from services.projections.migrate import upgrade
from services.projections.rebuild_lock import one_rebuild
from services.projections.state import create_generation
from services.projections.tables import read_model
from shared.db import drop_schema
from shared.migrations import hold_migration_lock

EVENTS = stored(many(30, seed=3))


@pytest.fixture
async def other(database: Database) -> AsyncIterator[AsyncEngine]:
    """Schema B, on connections that wait at most 3 s for a lock."""
    if database.schema is None:
        pytest.skip("advisory locks are PostgreSQL's")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    settings = {"search_path": schema, "lock_timeout": "3s"}
    engine = create_async_engine(database.url, connect_args={"server_settings": settings})
    await upgrade(engine, schema)
    await create_generation(engine, 1)
    yield engine
    await engine.dispose()
    await drop_schema(database.url, schema)


@contextlib.asynccontextmanager
async def holding(engine: AsyncEngine, lock: str) -> AsyncIterator[None]:
    async with engine.connect() as conn, conn.begin():
        if lock == "writers":
            await serialise(conn, 1)
        else:
            await hold_migration_lock(conn, "projections")
        yield


async def test_the_writers_of_one_schema_do_not_wait_for_another_schemas(
    database: Database, other: AsyncEngine
) -> None:
    async with store(database) as mine, holding(mine, "writers"):
        assert await apply_events(other, read_model(1), EVENTS) == len(EVENTS)
        assert not await _free_in_my_schema(mine, "writers"), "the lock is not held at all"


async def test_the_migrations_of_one_schema_do_not_wait_for_another_schemas(
    database: Database, other: AsyncEngine
) -> None:
    async with store(database) as mine, holding(mine, "migrations"):
        async with other.connect() as conn:
            schema = await conn.scalar(text("SELECT current_schema()"))
        await upgrade(other, schema)
        await create_generation(other, 2)
        assert not await _free_in_my_schema(mine, "migrations"), "the lock is not held at all"


async def test_a_rebuild_in_one_schema_does_not_stop_one_in_another(database: Database, other: AsyncEngine) -> None:
    settings = projections_settings(database, "redis://unused", "unused:", live_generation_ttl_seconds=0.05)
    from services.projections.rebuild import rebuild

    async with store(database) as mine, one_rebuild(mine):
        assert await rebuild(other, MemoryLog(many(30, seed=3)), settings, show=False) == 2


async def _free_in_my_schema(engine: AsyncEngine, lock: str) -> bool:
    """Whether a second connection in the same schema could take the lock at once."""
    async with engine.connect() as conn, conn.begin():
        await conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
        try:
            await (serialise(conn, 1) if lock == "writers" else hold_migration_lock(conn, "projections"))
        except Exception:
            return False
        return True
