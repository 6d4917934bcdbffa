"""Figures from the rollups (PostgreSQL): whole months from the `*_months` rollup, the days either side from the
`*_days` one, and the few activities (or feedback) answered after the period from their table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    Table,
    and_,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from .tables import ACTIVITY_TYPES, CONSULTING_OR_ABOVE, DAY_COUNTS, FEEDBACK_COUNTS, LEVELS, MODES, ReadModel
from .views_model import Filters, Period, Tally, counted_activities, matching, of_services_matching, services_open

Where = Callable[[Table], ColumnElement[bool]]


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
    """The activity rollup rows that make up the period (`day` is the first of the month for whole months, which is
    all a grouping by month needs)."""
    return _rows_over(model.activity_days, model.activity_months, period, lambda t: matching(t, filters), "rollup")


def _rows_over(days: Table, months: Table, period: Period, where: Where, name: str) -> CTE:
    """Whole months from `months`, the rest from `days`."""
    d, m = days, months
    whole = whole_months(period)
    if whole is None:
        return select(*d.c).where(d.c.day.between(period.start, period.end), where(d)).cte(name)
    first, last = whole
    edges = or_(
        and_(d.c.day >= period.start, d.c.day < first),
        and_(d.c.day >= _next_month(last), d.c.day <= period.end),
    )
    from_days = select(*d.c).where(edges, where(d))
    from_months = select(*m.c).where(m.c.day.between(first, last), where(m))
    return union_all(from_months, from_days).cte(name)


def rolled_feedback(model: ReadModel, period: Period, filters: Filters) -> Select[*tuple[Any, ...]]:
    """Received, responded by the period's end, and actioned: the rollups count every answer, so those answered
    after the period are taken away (their index finds them without reading the rest)."""
    f = model.feedback

    def where(t: Table) -> ColumnElement[bool]:
        return of_services_matching(t.c.service_id, model, filters)

    rows = _rows_over(model.feedback_days, model.feedback_months, period, where, "feedback_rollup")
    late = and_(f.c.responded_on > period.end, f.c.received_on.between(period.start, period.end), where(f))
    answered_late = select(func.count().label("n"), func.count().filter(f.c.action_taken).label("actioned"))
    after = answered_late.where(late).subquery("answered_late")
    totals = select(*(func.coalesce(func.sum(rows.c[c]), 0).label(c) for c in FEEDBACK_COUNTS)).subquery("totals")
    return select(
        totals.c.received, totals.c.responded - after.c.n, totals.c.actioned - after.c.actioned
    ).select_from(totals.join(after, true()))


def rolled_notifications(model: ReadModel, period: Period) -> Select[*tuple[Any, ...]]:
    n = model.notification_days
    sums = (func.coalesce(func.sum(n.c[c]), 0) for c in ("sent", "failed", "possibly_sent_twice"))
    return select(*sums).where(n.c.day.between(period.start, period.end))


def _late_outcomes(model: ReadModel, period: Period, filters: Filters) -> ColumnElement[int]:
    """Outcomes communicated after the period, of its activities: from `outcome_months` when the period is whole
    months (a year, a quarter, a month), else through the index of outcomes."""
    if period.start.day == 1 and (period.end + timedelta(days=1)).day == 1:
        o = model.outcome_months
        after = and_(o.c.day.between(period.start, period.end), o.c.outcome_month > period.end, matching(o, filters))
        return select(func.coalesce(func.sum(o.c.outcomes), 0)).where(after).scalar_subquery()
    a = model.activities
    late = and_(a.c.level.in_(CONSULTING_OR_ABOVE), a.c.outcome_on > period.end)
    return select(func.count()).where(late, counted_activities(model, period, filters)).scalar_subquery()


def rolled_figures(model: ReadModel, period: Period, filters: Filters) -> Select[*tuple[Any, ...]]:
    """One row: the rollup's counts summed, the late outcomes, the services engaging and the services."""
    rows = rollup_rows(model, period, filters)
    open_ids = services_open(model, period.as_at, filters)
    engaging = select(rows.c.service_id).where(rows.c.activities > 0, rows.c.service_id.in_(open_ids))
    return select(
        *(cast(func.coalesce(func.sum(rows.c[name]), 0), BigInteger).label(name) for name in DAY_COUNTS),
        _late_outcomes(model, period, filters).label("late"),
        select(func.count()).select_from(engaging.group_by(rows.c.service_id).subquery()).scalar_subquery(),
        select(func.count()).select_from(open_ids.subquery()).scalar_subquery(),
    ).select_from(rows)


def tally_of(values: list[int]) -> tuple[Tally, int, int]:
    """The tally, the services engaging and the services, from `rolled_figures`' row."""
    found = dict(zip(DAY_COUNTS, values, strict=False))
    tally = Tally(
        activities=found["activities"],
        customers=found["customers"],
        colleagues=found["colleagues"],
        with_outcome=found["consulting_with_outcome"] - values[len(DAY_COUNTS)],
        by_level={v: found[f"level_{v}"] for v in LEVELS},
        by_type={v: found[f"type_{v}"] for v in ACTIVITY_TYPES},
        by_mode={v: found[f"mode_{v}"] for v in MODES},
    )
    return tally, values[-2], values[-1]


def rolled_coproduction(
    model: ReadModel, period: Period, filters: Filters, group_by: str
) -> Select[*tuple[Any, ...]]:
    """Activities and co-produced per group from the rollups, in the shape and order that reading `activities`
    gives: (year, month, activities, co-produced) by month or quarter, else (group, activities, co-produced)."""
    rows = rollup_rows(model, period, filters)
    if group_by in ("level", "activity_type"):
        return _unpivoted(rows, group_by)
    if group_by in ("month", "quarter"):
        keys: list[ColumnElement[Any]] = [
            cast(extract("year", rows.c.day), Integer), cast(extract("month", rows.c.day), Integer)
        ]
    else:
        keys = [func.nullif(rows.c["service_id" if group_by == "service" else group_by], "")]
    activities = func.sum(rows.c.activities)
    query = select(*keys, activities, func.sum(rows.c.level_co_producing)).group_by(*keys)
    return query.having(activities > 0).order_by(*keys)


def _unpivoted(rows: CTE, group_by: str) -> Select[*tuple[Any, ...]]:
    """One row per level (or type) with any activity, ordered by name in SQL so the order is the database's."""
    if group_by == "level":
        pairs = {v: (f"level_{v}", "level_co_producing" if v == "co_producing" else None) for v in LEVELS}
    else:
        pairs = {v: (f"type_{v}", f"coproduced_type_{v}") for v in ACTIVITY_TYPES}
    wanted = {name for pair in pairs.values() for name in pair if name}
    totals = select(*(func.coalesce(func.sum(rows.c[n]), 0).label(n) for n in sorted(wanted))).cte("totals")
    each = union_all(*(
        select(
            literal(value).label("key"), totals.c[count].label("activities"),
            (totals.c[yes] if yes else literal(0)).label("coproduced"),
        ).where(totals.c[count] > 0)
        for value, (count, yes) in pairs.items()
    )).subquery()
    return select(each.c.key, each.c.activities, each.c.coproduced).order_by(each.c.key)
