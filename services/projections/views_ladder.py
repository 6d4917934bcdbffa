"""The ladder over time: activities at each level by month or quarter."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import BigInteger, Integer, Select, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import LEVELS, ReadModel
from .views_model import Filters, Period, counted_activities
from .views_rollup import rollup_rows
from .views_series import month_label, quarter_label

LadderBy = Literal["month", "quarter"]


class LadderRow(BaseModel):
    """One month's (or quarter's) activities, and how many of them were at each level."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "group": "2025-06", "activities": 40, "educating": 2, "informing": 8, "consulting": 12, "engaging": 8,
        "co_designing": 4, "co_producing": 6,
    }]})

    group: str
    activities: int
    educating: int
    informing: int
    consulting: int
    engaging: int
    co_designing: int
    co_producing: int


def _rolled(model: ReadModel, period: Period, filters: Filters) -> Select[*tuple[Any, ...]]:
    rows = rollup_rows(model, period, filters)
    keys = [cast(extract("year", rows.c.day), Integer), cast(extract("month", rows.c.day), Integer)]
    levels = [cast(func.sum(rows.c[f"level_{v}"]), BigInteger) for v in LEVELS]
    return select(*keys, *levels).group_by(*keys).having(func.sum(rows.c.activities) > 0).order_by(*keys)


def _scanned(model: ReadModel, period: Period, filters: Filters) -> Select[*tuple[Any, ...]]:
    a = model.activities
    keys = [cast(extract("year", a.c.occurred_on), Integer), cast(extract("month", a.c.occurred_on), Integer)]
    levels = [func.count().filter(a.c.level == v) for v in LEVELS]
    return select(*keys, *levels).where(counted_activities(model, period, filters)).group_by(*keys).order_by(*keys)


async def ladder(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters, group_by: LadderBy,
    from_rollup: bool | None = None,
) -> list[LadderRow]:
    """From the rollups where they are kept (PostgreSQL) unless `from_rollup=False`, else from `activities`."""
    if from_rollup is None:
        from_rollup = conn.dialect.name == "postgresql"
    query = (_rolled if from_rollup else _scanned)(model, period, filters)
    totals: dict[str, list[int]] = {}
    for year, month, *counts in await conn.execute(query):
        label = (month_label if group_by == "month" else quarter_label)(year, month)
        before = totals.setdefault(label, [0] * len(LEVELS))
        totals[label] = [b + int(c or 0) for b, c in zip(before, counts, strict=True)]
    return [
        LadderRow(group=label, activities=sum(counts), **dict(zip(LEVELS, counts, strict=True)))
        for label, counts in totals.items()
    ]
