"""Sessions and one-time sign-in links. Only a hash of each secret is stored, so a copy of the store signs
nobody in."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .tables import sessions, sign_in_links
from .users import User, find


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


async def start(engine: AsyncEngine, user_id: str, hours: float) -> tuple[str, str]:
    """A new session's secret (for the cookie) and its form token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = int(time.time())
    async with engine.begin() as conn:
        await conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
        await conn.execute(sessions.insert().values(
            token_hash=_digest(token), user_id=user_id, csrf_token=csrf, expires_at=now + int(hours * 3600)))
    return token, csrf


async def current(engine: AsyncEngine, token: str | None) -> Session | None:
    if not token:
        return None
    async with engine.connect() as conn:
        row = (await conn.execute(select(sessions).where(sessions.c.token_hash == _digest(token)))).first()
        if row is None or row.expires_at <= time.time():
            return None
        user = await find(conn, row.user_id)
    return Session(user, row.csrf_token) if user else None


async def end(engine: AsyncEngine, token: str | None) -> None:
    if token:
        async with engine.begin() as conn:
            await conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


async def offer_link(engine: AsyncEngine, user_id: str, token: str, hours: float) -> None:
    """A one-time sign-in link for `user_id`; any earlier link of theirs stops working."""
    async with engine.begin() as conn:
        await conn.execute(delete(sign_in_links).where(sign_in_links.c.user_id == user_id))
        await conn.execute(sign_in_links.insert().values(
            token_hash=_digest(token), user_id=user_id, expires_at=int(time.time() + hours * 3600)))


async def take_link(engine: AsyncEngine, token: str) -> str | None:
    """The user a link signs in, once: the link is gone after it."""
    async with engine.begin() as conn:
        taken = delete(sign_in_links).where(sign_in_links.c.token_hash == _digest(token))
        row = (await conn.execute(taken.returning(sign_in_links.c.user_id, sign_in_links.c.expires_at))).first()
    return row.user_id if row and row.expires_at > time.time() else None
