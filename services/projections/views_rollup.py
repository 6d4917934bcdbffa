"""Engagement figures from the rollups (PostgreSQL): whole months from `activity_months`, the days either side
from `activity_days`, and the few activities whose outcome came after the period from `activities`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import CTE, ColumnElement, and_, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ACTIVITY_TYPES, CONSULTING_OR_ABOVE, DAY_COUNTS, LEVELS, MODES, ReadModel
from .views_model import Filters, Period, Tally, counted_activities, matching, services_open


def whole_months(period: Period) -> tuple[date, date] | None:
    """The first days of the first and last months that lie wholly inside the period, if any do."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    after = _next_month(period.end)
    last = after if (after - timedelta(days=1)) == period.end else period.end.replace(day=1)
    last = _previous_month(last)
    return (first, last) if first <= last else None


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(first_day: date) -> date:
    return (first_day - timedelta(days=1)).replace(day=1)


def rollup_rows(model: ReadModel, period: Period, filters: Filters) -> CTE:
    d, m = model.activity_days, model.activity_months
    months = whole_months(period)
    if months is None:
        return select(d.c.service_id, *(d.c[n] for n in DAY_COUNTS)).where(
            d.c.day.between(period.start, period.end), matching(d, filters)
        ).cte("rollup")
    first, last = months
    edges = or_(
        and_(d.c.day >= period.start, d.c.day < first),
        and_(d.c.day >= _next_month(last), d.c.day <= period.end),
    )
    from_days = select(d.c.service_id, *(d.c[n] for n in DAY_COUNTS)).where(edges, matching(d, filters))
    from_months = select(m.c.service_id, *(m.c[n] for n in DAY_COUNTS)).where(
        m.c.day.between(first, last), matching(m, filters)
    )
    return union_all(from_months, from_days).cte("rollup")


def _late_outcomes(model: ReadModel, period: Period, filters: Filters) -> ColumnElement[int]:
    a = model.activities
    late = and_(a.c.level.in_(CONSULTING_OR_ABOVE), a.c.outcome_on > period.end)
    return select(func.count()).where(late, counted_activities(model, period, filters)).scalar_subquery()


async def rolled_up(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> tuple[Tally, int, int]:
    """The tally, the services engaging and the services, in one statement."""
    rows = rollup_rows(model, period, filters)
    open_ids = services_open(model, period.end, filters)
    engaging = select(rows.c.service_id).where(rows.c.activities > 0, rows.c.service_id.in_(open_ids))
    figures = select(
        *(func.coalesce(func.sum(rows.c[name]), 0).label(name) for name in DAY_COUNTS),
        _late_outcomes(model, period, filters).label("late"),
        select(func.count()).select_from(engaging.group_by(rows.c.service_id).subquery()).scalar_subquery(),
        select(func.count()).select_from(open_ids.subquery()).scalar_subquery(),
    ).select_from(rows)
    row = (await conn.execute(figures)).one()
    found = row._mapping
    tally = Tally(
        activities=int(found["activities"]),
        customers=int(found["customers"]),
        colleagues=int(found["colleagues"]),
        with_outcome=int(found["consulting_with_outcome"]) - int(found["late"]),
        by_level={v: int(found[f"level_{v}"]) for v in LEVELS},
        by_type={v: int(found[f"type_{v}"]) for v in ACTIVITY_TYPES},
        by_mode={v: int(found[f"mode_{v}"]) for v in MODES},
    )
    return tally, int(row[-2]), int(row[-1])
