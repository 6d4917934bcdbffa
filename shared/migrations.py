"""Each service brings its own tables up to date at startup, with alembic, on its own async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from .db import ensure_schema


async def upgrade(engine: AsyncEngine, schema: str | None, service: str, migrations: Path) -> None:
    """Migrate to head; the version table is the service's own, since services may share one schema."""
    await ensure_schema(engine, schema)
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # two processes of one service starting at once take turns
            await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": service})
        await connection.run_sync(_upgrade, service, migrations)


def _upgrade(connection: Connection, service: str, migrations: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = f"alembic_version_{service}"
    command.upgrade(config, "head")
