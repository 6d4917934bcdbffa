"""The delivery records: one per (opportunity, champion), claimed before sending, so each alert goes once.

A claimed delivery is marked in flight (committed) just before its message goes to the channel, and its outcome
replaces the mark as soon as the channel answers. One still in flight when its claimant's lease runs out may
have gone already: it is sent again, and marked `possibly_sent_twice` for ever after.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import insert

from .tables import deliveries as d

WAITING = ("pending", "held")


def new_notification_id() -> str:
    """Random, so no one outside can guess it and post an event under it first; kept with its delivery."""
    return f"ntf-{secrets.token_hex(16)}"


async def add_deliveries(conn: AsyncConnection, opportunity_id: str, due: dict[str, datetime], now: datetime) -> int:
    """One pending delivery per champion in `due` (champion id → when); those that exist stay as they are."""
    rows = [
        {
            "notification_id": new_notification_id(),
            "opportunity_id": opportunity_id,
            "champion_id": champion_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": when,
            "created_at": now,
        }
        for champion_id, when in due.items()
    ]
    if not rows:
        return 0
    result = await conn.execute(insert(conn, d).on_conflict_do_nothing(), rows)
    return int(result.rowcount)


@dataclass(frozen=True)
class Claimed:
    id: int
    notification_id: str
    opportunity_id: str
    champion_id: str
    attempts: int
    possibly_sent_twice: bool
    claim: str
    """Who holds it, for this claim alone: once a lease runs out, even the same worker's later claim is another."""


async def claim(conn: AsyncConnection, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Take up to `limit` due deliveries, and any whose claimant's lease ran out, for `worker` alone."""
    claim_id = f"{worker}/{secrets.token_hex(4)}"
    due = (d.c.status.in_(WAITING) & (d.c.next_attempt_at <= now)) | (
        (d.c.status == "sending") & (d.c.lease_until < now)
    )
    chosen = sa.select(d.c.id).where(due).order_by(d.c.next_attempt_at).limit(limit)
    if conn.dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    was_in_flight = (d.c.status == "sending") & d.c.in_flight_at.is_not(None)
    statement = (
        d.update()
        .where(d.c.id.in_(chosen.scalar_subquery()))
        .values(
            status="sending",
            claimed_by=claim_id,
            lease_until=now + lease,
            in_flight_at=None,
            possibly_sent_twice=d.c.possibly_sent_twice | was_in_flight,
        )
        .returning(*CLAIMED)
    )
    rows = await conn.execute(statement)
    return [Claimed(*row) for row in rows]


CLAIMED = (
    d.c.id, d.c.notification_id, d.c.opportunity_id, d.c.champion_id, d.c.attempts, d.c.possibly_sent_twice,
    d.c.claimed_by,
)


async def mark_in_flight(
    conn: AsyncConnection, claimed: Sequence[Claimed], now: datetime, lease: timedelta
) -> set[int]:
    """Mark deliveries as handed to their channel, their lease starting again; the ids still held by the same claim
    (only those may go)."""
    claims = {c.id: c.claim for c in claimed}
    still_held = d.c.id.in_(claims) & d.c.claimed_by.in_(set(claims.values())) & (d.c.status == "sending")
    marking = d.update().where(still_held).values(in_flight_at=now, lease_until=now + lease)
    rows = await conn.execute(marking.returning(d.c.id, d.c.claimed_by))
    return {row.id for row in rows if claims[row.id] == row.claimed_by}


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed delivery: sent, failed, skipped, or pending/held again until `next_at`."""

    delivery: Claimed
    status: str
    channel: str | None = None
    attempts: int = 0
    next_at: datetime | None = None
    error: str | None = None
    at: datetime | None = None


async def settle(conn: AsyncConnection, outcomes: Sequence[Outcome]) -> None:
    """Record outcomes of deliveries their claim still holds (one lost to a lease expiry is left alone)."""
    if not outcomes:
        return
    statement = (
        d.update()
        .where((d.c.id == sa.bindparam("b_id")) & (d.c.claimed_by == sa.bindparam("b_claim")))
        .where(d.c.status == "sending")
        .values(
            status=sa.bindparam("b_status"),
            channel=sa.bindparam("b_channel"),
            attempts=sa.bindparam("b_attempts"),
            next_attempt_at=sa.bindparam("b_next"),
            sent_at=sa.bindparam("b_sent"),
            last_error=sa.bindparam("b_error"),
            claimed_by=None,
            lease_until=None,
            in_flight_at=None,
        )
    )
    await conn.execute(statement, [_params(o) for o in outcomes])


def _params(outcome: Outcome) -> dict[str, Any]:
    return {
        "b_id": outcome.delivery.id,
        "b_claim": outcome.delivery.claim,
        "b_status": outcome.status,
        "b_channel": outcome.channel,
        "b_attempts": outcome.attempts,
        "b_next": outcome.next_at or outcome.at,
        "b_sent": outcome.at if outcome.status == "sent" else None,
        "b_error": outcome.error,
    }


async def delivery_log(
    conn: AsyncConnection, *, opportunity_id: str | None = None, champion_id: str | None = None
) -> list[dict[str, Any]]:
    query = sa.select(
        d.c.notification_id,
        d.c.opportunity_id,
        d.c.champion_id,
        d.c.status,
        d.c.channel,
        d.c.attempts,
        d.c.created_at,
        d.c.next_attempt_at,
        d.c.sent_at,
        d.c.last_error,
        d.c.possibly_sent_twice,
    ).order_by(d.c.id)
    if opportunity_id is not None:
        query = query.where(d.c.opportunity_id == opportunity_id)
    if champion_id is not None:
        query = query.where(d.c.champion_id == champion_id)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def counts_by_status(conn: AsyncConnection) -> dict[str, int]:
    rows = await conn.execute(sa.select(d.c.status, sa.func.count()).group_by(d.c.status))
    return {status: int(count) for status, count in rows}
