"""How far notify has read the event store: every event at or before this position has been applied."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import insert

from .tables import progress

EVENT_STORE = "event-store"


async def read_position(conn: AsyncConnection) -> int:
    found = await conn.scalar(sa.select(progress.c.position).where(progress.c.reader == EVENT_STORE))
    return int(found or 0)


async def save_position(conn: AsyncConnection, position: int) -> None:
    statement = insert(conn, progress).values(reader=EVENT_STORE, position=position)
    await conn.execute(statement.on_conflict_do_update(index_elements=["reader"], set_={"position": position}))
