"""Which champion a request means. coprod's record holds a token for each champion, never the id the champion has
upstream, so a caller may give either: a token is taken as it is; an upstream id is looked up in ingest (the only
service holding the mapping), and notify does not keep it."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.problems import Problem

from . import store
from .relay import OutboxRelay


async def champion_token(conn: AsyncConnection, relay: OutboxRelay, given: str) -> str | None:
    """The token for `given`; None when neither notify nor ingest knows it; 503 when ingest cannot be asked."""
    if await store.known_champion(conn, given) is not None:
        return given
    try:
        answer = await relay.ingest.get(f"/v1/people/{quote(given, safe='')}", headers=relay.headers)
    except httpx.HTTPError:
        raise Problem(503, "notify cannot reach ingest to look this champion up; try again shortly") from None
    if answer.status_code == 404:
        return None
    if answer.status_code != 200:
        raise Problem(503, f"ingest answered {answer.status_code} when asked who this champion is; try again shortly")
    token: str = answer.json()["token"]
    return token


async def known_champion_token(conn: AsyncConnection, relay: OutboxRelay, given: str) -> str:
    token = await champion_token(conn, relay, given)
    if token is None:
        raise Problem(404, "notify has not heard of this champion yet (no champion.joined event)")
    return token
