"""Bring the web's tables up to date at startup."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from shared import migrations


async def upgrade(engine: AsyncEngine, schema: str | None = None) -> None:
    await migrations.upgrade(engine, schema, "web", Path(__file__).parent / "migrations")
