"""What a champion does from a personal link: say yes, change how they hear, stop. Each is one transaction: notify's
own store changes at once (so the next alert follows it) and the event for the record goes in the outbox, which
the relay posts to ingest. Events name the champion by their token alone."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.events import Event, cloud_event, parse_event

from . import planning, store
from .champions import Champion
from .outcomes import SOURCE
from .schedule import Timetable
from .tables import outbox


class SignedUp(StrEnum):
    placed = "placed"
    waiting = "waiting"
    already = "already"
    already_waiting = "already_waiting"
    closed = "closed"


async def sign_up(
    conn: AsyncConnection, champion: Champion, opportunity_id: str, now: datetime, timetable: Timetable
) -> SignedUp:
    """Give the champion a place, or a place on the waiting list when every place is taken; once only."""
    await store.lock_opportunity(conn, opportunity_id)
    row = (await store.load_opportunities(conn, [opportunity_id])).get(opportunity_id)
    today = now.astimezone(timetable.zone).date()
    if row is None or row.published is None or row.closed_on is not None or row.published["closes_on"] < str(today):
        return SignedUp.closed
    earlier = await store.sign_up_of(conn, opportunity_id, champion.champion_id)
    if earlier is not None:
        return SignedUp.already_waiting if earlier else SignedUp.already
    places = row.published.get("places")
    waiting = places is not None and await store.places_taken(conn, opportunity_id) >= places
    await store.record_sign_up(conn, opportunity_id, champion.champion_id, waiting)
    data: dict[str, Any] = {
        "opportunity_id": opportunity_id,
        "person_id": champion.champion_id,
        "role": champion.role,
        "signed_up_on": today.isoformat(),
    }
    if waiting:
        data["waiting_list"] = True
    once = hashlib.sha256(f"{opportunity_id}\n{champion.champion_id}".encode()).hexdigest()[:32]
    await _record(conn, "opportunity.signed_up", data, now, f"signup-{once}")
    return SignedUp.waiting if waiting else SignedUp.placed


async def change_preferences(
    conn: AsyncConnection, champion_id: str, changes: dict[str, Any], now: datetime, timetable: Timetable
) -> None:
    """Record `champion.preferences_updated` with `changes`, fold it into the champion at once, and plan the
    alerts a new region or new interests now bring."""
    event = await _record(conn, "champion.preferences_updated", {"champion_id": champion_id, **changes}, now)
    if await store.fold_champion(conn, event):
        await planning.for_champions(conn, [champion_id], timetable, now)


async def _record(
    conn: AsyncConnection, type_: str, data: dict[str, Any], now: datetime, event_id: str | None = None
) -> Event:
    raw = cloud_event(type_, data, id=event_id or f"{type_.split('.')[0]}-{uuid.uuid4().hex}", source=SOURCE, time=now)
    event = parse_event(raw)  # the contract checks it before it goes anywhere
    await conn.execute(outbox.insert(), [{"event": raw}])
    return event
