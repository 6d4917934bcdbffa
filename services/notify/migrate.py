"""Bring notify's tables up to date at startup, with alembic, on the service's own async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import ensure_schema

VERSION_TABLE = "alembic_version_notify"
MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x4E0717  # serialises two notify processes migrating one PostgreSQL schema at once


async def upgrade(engine: AsyncEngine, schema: str | None = None) -> None:
    await ensure_schema(engine, schema)
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        await connection.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
