"""Which services moved up the ladder: each service's average rung (educating 1 … co-producing 6) over its
activities in the quarter holding the period's last day, beside the quarter before. Calendar months grouped in
financial quarters (April to June is Q1), as the ladder by quarter."""

from __future__ import annotations

import functools
import operator
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, ColumnElement, Select, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import LEVELS, ReadModel
from .views_model import Filters, Period, counted_activities
from .views_rollup import rollup_rows
from .views_series import quarter_label

RUNGS = {level: n + 1 for n, level in enumerate(LEVELS)}


class LadderMove(BaseModel):
    """One service's average rung this quarter and the quarter before, and which way it moved."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "service_id": "s1", "quarter": "2025-26 Q3", "activities": 6, "rung": 4.5, "quarter_before": "2025-26 Q2",
        "activities_before": 4, "rung_before": 3.0, "moved": "up"}]})

    service_id: str
    quarter: str
    activities: int
    rung: float = Field(description="the average rung of its activities: educating 1, informing 2 … co-producing 6")
    quarter_before: str
    activities_before: int
    rung_before: float
    moved: Literal["up", "down", "same"]


def quarters(end: date) -> tuple[Period, Period]:
    """The quarter holding `end`, and the one before it (financial quarters start in April, so on calendar ones)."""
    start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    before = date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)
    after = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return Period(before, start - timedelta(days=1)), Period(start, after - timedelta(days=1))


def _added(terms: list[ColumnElement[Any]]) -> ColumnElement[Any]:
    return functools.reduce(operator.add, terms)


def _rungs(model: ReadModel, period: Period, filters: Filters, from_rollup: bool) -> Select[*tuple[Any, ...]]:
    if from_rollup:
        rows = rollup_rows(model, period, filters)
        weighted = _added([rows.c[f"level_{v}"] * RUNGS[v] for v in LEVELS])
        return (select(rows.c.service_id, cast(func.sum(rows.c.activities), BigInteger), func.sum(weighted))
                .where(rows.c.service_id != "").group_by(rows.c.service_id).having(func.sum(rows.c.activities) > 0))
    a = model.activities
    rung = _added([func.count().filter(a.c.level == v) * RUNGS[v] for v in LEVELS])
    return (select(a.c.service_id, func.count(), rung)
            .where(counted_activities(model, period, filters), a.c.service_id.is_not(None)).group_by(a.c.service_id))


async def ladder_moves(conn: AsyncConnection, model: ReadModel, end: date, filters: Filters,
                       from_rollup: bool | None = None) -> list[LadderMove]:
    """Services with activities in both quarters, those that moved up most first."""
    if from_rollup is None:
        from_rollup = conn.dialect.name == "postgresql"
    before, now = quarters(end)
    found = [{service: (int(n), float(total) / int(n)) for service, n, total in
              await conn.execute(_rungs(model, q, filters, from_rollup))} for q in (before, now)]
    moves = []
    for service, (n, rung) in found[1].items():
        if service not in found[0]:
            continue
        n_before, rung_before = found[0][service]
        moved: Literal["up", "down", "same"] = "up" if rung > rung_before else "down" if rung < rung_before else "same"
        moves.append(LadderMove(
            service_id=service, quarter=quarter_label(now.start.year, now.start.month), activities=n,
            rung=round(rung, 2), quarter_before=quarter_label(before.start.year, before.start.month),
            activities_before=n_before, rung_before=round(rung_before, 2), moved=moved))
    return sorted(moves, key=lambda m: (m.rung_before - m.rung, m.service_id))
