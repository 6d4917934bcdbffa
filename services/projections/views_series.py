"""The breakdowns behind the dashboard: co-production by a grouping, training, feedback and opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Integer, Select, and_, case, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Filters, Period, Rate, counted_activities, of_services_matching, within
from .views_other import in_region, open_on, opportunities_matching
from .views_rollup import rolled_coproduction

GroupBy = Literal["month", "quarter", "region", "service", "service_type", "activity_type", "level"]
GROUPINGS: tuple[str, ...] = GroupBy.__args__  # type: ignore[attr-defined]


class CoproductionRow(BaseModel):
    group: str | None
    activities: int
    coproduced: int
    coproduction_rate: Rate


class TrainingRow(BaseModel):
    month: str
    mode: str | None
    role: str
    sessions: int
    people_trained: int


class FeedbackRow(BaseModel):
    kind: str | None
    theme: str | None
    service_id: str | None
    received: int
    responded: int
    actioned: int


class OpportunityRow(BaseModel):
    opportunity_id: str
    title: str | None
    scope: str | None
    region: str | None
    service_id: str | None
    published_on: date | None
    closes_on: date | None
    status: Literal["open", "closed"]
    alerts_sent: int
    sign_ups: int


def _month(column: ColumnElement[date]) -> list[ColumnElement[Any]]:
    return [cast(extract("year", column), Integer), cast(extract("month", column), Integer)]


def _plain(result: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [list(row) for row in result]


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_label(year: int, month: int) -> str:
    """Financial quarters: April to June is Q1 of the year that starts that April."""
    first = year if month >= 4 else year - 1
    return f"{first}-{(first + 1) % 100:02d} Q{(month - 4) % 12 // 3 + 1}"


async def coproduction(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters, group_by: GroupBy,
    from_rollup: bool | None = None,
) -> list[CoproductionRow]:
    """From the rollups where they are kept (PostgreSQL) unless `from_rollup=False`, else from `activities`."""
    if from_rollup is None:
        from_rollup = conn.dialect.name == "postgresql"
    by_date = group_by in ("month", "quarter")
    query = (rolled_coproduction if from_rollup else _scanned_coproduction)(model, period, filters, group_by)
    totals: dict[str | None, tuple[int, int]] = {}
    for *key, count, yes in await conn.execute(query):
        label = (month_label if group_by == "month" else quarter_label)(*key) if by_date else key[0]
        before = totals.get(label, (0, 0))
        totals[label] = (before[0] + int(count), before[1] + int(yes))
    return [
        CoproductionRow(group=label, activities=count, coproduced=yes, coproduction_rate=Rate.of(yes, count))
        for label, (count, yes) in totals.items()
    ]


def _scanned_coproduction(
    model: ReadModel, period: Period, filters: Filters, group_by: str
) -> Select[*tuple[Any, ...]]:
    a = model.activities
    by_date = group_by in ("month", "quarter")
    keys = _month(a.c.occurred_on) if by_date else [a.c["service_id" if group_by == "service" else group_by]]
    coproduced = func.sum(case((a.c.level == "co_producing", 1), else_=0))
    query = select(*keys, func.count(), coproduced).where(counted_activities(model, period, filters))
    return query.group_by(*keys).order_by(*keys)


async def training_breakdown(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> list[TrainingRow]:
    t, att = model.training_sessions, model.attendance
    keys = [*_month(t.c.held_on), t.c.mode, att.c.role]
    query = (
        select(*keys, func.count(t.c.session_id.distinct()), func.count(att.c.person_id.distinct()))
        .join_from(t, att, att.c.session_id == t.c.session_id)
        .where(within(t.c.held_on, period), in_region(model, filters.region))
        .group_by(*keys)
        .order_by(*keys)
    )
    return [
        TrainingRow(month=month_label(year, month), mode=mode, role=role, sessions=sessions, people_trained=people)
        for year, month, mode, role, sessions, people in _plain(await conn.execute(query))
    ]


async def feedback_breakdown(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> list[FeedbackRow]:
    f = model.feedback
    keys = [f.c.kind, f.c.theme, f.c.service_id]
    responded = f.c.responded_on <= period.end
    query = (
        select(
            *keys,
            func.count(),
            func.sum(case((responded, 1), else_=0)),
            func.sum(case((and_(responded, f.c.action_taken), 1), else_=0)),
        )
        .where(within(f.c.received_on, period), of_services_matching(f.c.service_id, model, filters))
        .group_by(*keys)
        .order_by(*keys)
    )
    return [
        FeedbackRow(kind=kind, theme=theme, service_id=service, received=n, responded=r, actioned=a)
        for kind, theme, service, n, r, a in _plain(await conn.execute(query))
    ]


async def opportunity_list(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> list[OpportunityRow]:
    o, n, su = model.opportunities, model.notifications, model.sign_ups
    alerts = select(func.count()).where(n.c.opportunity_id == o.c.opportunity_id, n.c.status == "sent")
    sign_ups = select(func.count()).where(su.c.opportunity_id == o.c.opportunity_id)
    query = (
        select(
            o.c.opportunity_id, o.c.title, o.c.scope, o.c.region, o.c.service_id, o.c.published_on, o.c.closes_on,
            open_on(model, period.as_at).label("is_open"),
            alerts.scalar_subquery().label("alerts_sent"),
            sign_ups.scalar_subquery().label("sign_ups"),
        )
        .where(within(o.c.published_on, period), opportunities_matching(model, filters))
        .order_by(o.c.published_on, o.c.opportunity_id)
    )
    return [
        OpportunityRow(
            **{k: v for k, v in row._mapping.items() if k != "is_open"}, status="open" if row.is_open else "closed"
        )
        for row in await conn.execute(query)
    ]
