"""Each service brings its own tables up to date at startup, with alembic, on its own async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .db import ensure_schema
from .locks import AdvisoryLock


async def upgrade(engine: AsyncEngine, schema: str | None, service: str, migrations: Path) -> None:
    """Migrate to head; the version table is the service's own, since services may share one schema."""
    await ensure_schema(engine, schema)
    async with engine.begin() as connection:
        await hold_migration_lock(connection, service)
        await connection.run_sync(_upgrade, service, migrations)


async def hold_migration_lock(connection: AsyncConnection, service: str) -> None:
    """Until the transaction ends: processes of one service changing its tables at once take turns. Call it first
    in the transaction. On SQLite it takes the database's write lock at once: Python's driver would otherwise run
    each CREATE TABLE outside any transaction, so two processes could both see a table missing and both create it."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text(AdvisoryLock(f"migrations {service}").take()))
    else:
        await connection.exec_driver_sql("BEGIN IMMEDIATE")


def _upgrade(connection: Connection, service: str, migrations: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = f"alembic_version_{service}"
    command.upgrade(config, "head")
