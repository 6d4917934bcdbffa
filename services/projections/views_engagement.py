"""Engagement figures: from the activity rollups on PostgreSQL, from `activities` directly on SQLite."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import CONSULTING_OR_ABOVE, ReadModel
from .views_model import Filters, Period, Rate, Tally, counted_activities, services_open
from .views_other import Section
from .views_rollup import rolled_figures, tally_of


class Engagement(BaseModel):
    activities: int
    coproduced: int
    coproduction_rate: Rate
    doing_with_rate: Rate
    by_level: dict[str, int]
    by_type: dict[str, int]
    by_mode: dict[str, int]
    customers_participating: int
    colleagues_participating: int
    services_engaging: Rate
    you_said_we_did: Rate


def engagement_section(model: ReadModel, period: Period, filters: Filters) -> Section[Engagement]:
    """From the rollups (PostgreSQL)."""
    return Section(rolled_figures(model, period, filters), lambda values: _figures(*tally_of(values)))


async def engagement(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Engagement:
    """From `activities`."""
    tally = await _scanned(conn, model, period, filters)
    return _figures(tally, *await _services_engaging(conn, model, period, filters))


def _figures(tally: Tally, engaging: int, services: int) -> Engagement:
    coproduced = tally.by_level["co_producing"]
    consulting_or_above = sum(tally.by_level[level] for level in CONSULTING_OR_ABOVE)
    return Engagement(
        activities=tally.activities,
        coproduced=coproduced,
        coproduction_rate=Rate.of(coproduced, tally.activities),
        doing_with_rate=Rate.of(coproduced + tally.by_level["co_designing"], tally.activities),
        by_level=tally.by_level,
        by_type=tally.by_type,
        by_mode=tally.by_mode,
        customers_participating=tally.customers,
        colleagues_participating=tally.colleagues,
        services_engaging=Rate.of(engaging, services),
        you_said_we_did=Rate.of(tally.with_outcome, consulting_or_above),
    )


def _outcome_by(model: ReadModel, period: Period) -> ColumnElement[bool]:
    a = model.activities
    return and_(a.c.level.in_(CONSULTING_OR_ABOVE), a.c.outcome_on <= period.end)


async def _scanned(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Tally:
    a = model.activities
    groups = (a.c.level, a.c.activity_type, a.c.mode)
    query = select(
        *groups,
        func.count(),
        cast(func.coalesce(func.sum(a.c.customers), 0), BigInteger),
        cast(func.coalesce(func.sum(a.c.colleagues), 0), BigInteger),
        func.count().filter(_outcome_by(model, period)),
    ).where(counted_activities(model, period, filters)).group_by(*groups)
    tally = Tally()
    for level, activity_type, mode, count, customers, colleagues, with_outcome in await conn.execute(query):
        tally.activities += count
        tally.customers += customers
        tally.colleagues += colleagues
        tally.with_outcome += with_outcome
        tally.by_level[level] = tally.by_level.get(level, 0) + count
        tally.by_type[activity_type] = tally.by_type.get(activity_type, 0) + count
        tally.by_mode[mode] = tally.by_mode.get(mode, 0) + count
    return tally


async def _services_engaging(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> tuple[int, int]:
    a = model.activities
    open_ids = services_open(model, period.as_at, filters)
    where = counted_activities(model, period, filters)
    engaging = select(func.count(a.c.service_id.distinct())).where(where, a.c.service_id.in_(open_ids))
    services = select(func.count()).select_from(open_ids.subquery())
    both = select(engaging.scalar_subquery(), services.scalar_subquery())
    found, total = (await conn.execute(both)).one()
    return int(found), int(total)
