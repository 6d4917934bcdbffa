"""Ingest's table of people: each upstream id and the token the event log holds instead. Deleting a row erases
the person: the token is random, so nothing can work it out again from the upstream id."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .tables import erasures, people

_CHUNK = 500


def new_token() -> str:
    """`p_` and 32 hex digits: one word, so no rule of the guard can ever read a postcode or a number into it."""
    return f"p_{secrets.token_hex(16)}"


async def tokens_of(conn: AsyncConnection, upstream_ids: Collection[str]) -> dict[str, str]:
    wanted = sorted(set(upstream_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = sa.select(people.c.upstream_id, people.c.token).where(
            people.c.upstream_id.in_(wanted[start : start + _CHUNK])
        )
        found.update({row.upstream_id: row.token for row in await conn.execute(query)})
    return found


async def unheld(tokens: Collection[str], conn: AsyncConnection) -> set[str]:
    """Those of these tokens whose person was erased."""
    wanted = sorted(set(tokens))
    held: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        query = sa.select(people.c.token).where(people.c.token.in_(wanted[start : start + _CHUNK]))
        held.update(await conn.scalars(query))
    return set(wanted) - held


async def mint(conn: AsyncConnection, upstream_ids: Collection[str]) -> dict[str, str]:
    """Tokens for people coprod has not seen; another ingest process minting the same person at once wins or loses
    the insert, and both then read the one token that was kept."""
    if not upstream_ids:
        return {}
    now = datetime.now(UTC)
    rows = [{"upstream_id": upstream_id, "token": new_token(), "created_at": now} for upstream_id in upstream_ids]
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(people)
    await conn.execute(insert.on_conflict_do_nothing(index_elements=["upstream_id"]), rows)
    return await tokens_of(conn, upstream_ids)


async def erase(conn: AsyncConnection, upstream_ids: Collection[str], by: str) -> bool:
    """Forget these people and record that someone did (who and when, never whom). True if any was held."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA secure_delete = ON")  # the row's bytes are overwritten, not left free
    deleted = 0
    for upstream_id in set(upstream_ids):
        deleted += (await conn.execute(people.delete().where(people.c.upstream_id == upstream_id))).rowcount
    await conn.execute(erasures.insert().values(erased_at=datetime.now(UTC), erased_by=by, found=deleted > 0))
    return deleted > 0


async def scrub(engine: AsyncEngine) -> None:
    """After an erasure on SQLite: the write-ahead log, which still holds the row as it was, is emptied."""
    if engine.dialect.name == "sqlite":
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
