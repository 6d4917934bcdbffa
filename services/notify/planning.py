"""Who hears of what: alerts planned when an opportunity is published, and when a champion comes to fit one.

Either event may be read first (they travel on different streams), so both sides plan: an opportunity
plans for the champions who fit it, and a champion who joins or changes their preferences gets the open
opportunities they now fit. The delivery's unique (opportunity, champion) makes it once either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.events.opportunities import OpportunityPublished

from . import store
from .champions import Champion, is_recipient
from .deliveries import add_deliveries
from .schedule import Timetable


async def for_opportunity(
    conn: AsyncConnection, opportunity: OpportunityPublished, day: date, timetable: Timetable, now: datetime
) -> int:
    """Alerts for every champion who fits `opportunity` as published on `day`."""
    region = await store.service_region(conn, opportunity.service_id)
    due = {
        champion.champion_id: timetable.next_digest(now, champion.cadence)
        for champion in (await store.load_champions(conn)).values()
        if is_recipient(champion, opportunity, day, region)
    }
    return await add_deliveries(conn, opportunity.opportunity_id, due, now)


async def for_champions(conn: AsyncConnection, champion_ids: Iterable[str], timetable: Timetable, now: datetime) -> int:
    """Alerts for the open opportunities (not closed, closing today or later) that these champions now fit."""
    ids = set(champion_ids)
    if not ids:
        return 0
    today = now.astimezone(timetable.zone).date()
    still_open = await store.open_opportunities(conn, today)
    if not still_open:
        return 0
    champions = list((await store.load_champions(conn, ids)).values())
    added = 0
    for opportunity in still_open:
        region = await store.service_region(conn, opportunity.service_id)
        due = _due(champions, opportunity, today, region, timetable, now)
        added += await add_deliveries(conn, opportunity.opportunity_id, due, now)
    return added


def _due(
    champions: list[Champion],
    opportunity: OpportunityPublished,
    today: date,
    region: str | None,
    timetable: Timetable,
    now: datetime,
) -> dict[str, datetime]:
    return {
        champion.champion_id: timetable.next_digest(now, champion.cadence)
        for champion in champions
        if is_recipient(champion, opportunity, today, region)
    }
