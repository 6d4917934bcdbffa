"""The fixed tables (migrated by alembic): which generation is live, and how far each generation has got.

`watermark` is gap-free: every position up to it is applied to that generation. `head` is the event store's
last position as last seen, so `head - watermark` is how far behind the figures are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from .tables import read_model

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
)


@dataclass(frozen=True)
class Progress:
    """How up to date the live figures are: the last gap-free position applied, and the store's head."""

    generation: int
    position: int
    head: int
    lag: int
    updated_at: datetime | None


async def create_generation(engine: AsyncEngine, generation: int) -> None:
    """Create the read-model tables of `generation` (if missing) and its progress row."""
    async with engine.begin() as conn:
        await conn.run_sync(read_model(generation).metadata.create_all)
        found = await conn.scalar(select(progress_table.c.generation).where(progress_table.c.generation == generation))
        if found is None:
            await conn.execute(progress_table.insert().values(generation=generation, watermark=0, head=0))


async def drop_generation(engine: AsyncEngine, generation: int) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(read_model(generation).metadata.drop_all)
        await conn.execute(progress_table.delete().where(progress_table.c.generation == generation))


async def live_generation(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(select(live.c.generation).where(live.c.id == 1))
    return int(found) if found is not None else 1


async def switch_live(engine: AsyncEngine, generation: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(live).where(live.c.id == 1).values(generation=generation))


async def generation_progress(engine: AsyncEngine, generation: int) -> Progress:
    async with engine.connect() as conn:
        row = (await conn.execute(select(progress_table).where(progress_table.c.generation == generation))).first()
    if row is None:
        return Progress(generation, 0, 0, 0, None)
    return Progress(generation, row.watermark, row.head, max(row.head - row.watermark, 0), _aware(row.updated_at))


async def progress(engine: AsyncEngine) -> Progress:
    """How far the live generation has got."""
    return await generation_progress(engine, await live_generation(engine))


async def save_progress(engine: AsyncEngine, generation: int, watermark: int, head: int) -> None:
    values = {"watermark": watermark, "head": max(head, watermark), "updated_at": datetime.now(UTC)}
    async with engine.begin() as conn:
        await conn.execute(update(progress_table).where(progress_table.c.generation == generation).values(**values))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
