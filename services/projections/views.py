"""The KPI figures of docs/domain.md "The figures", read from one generation's tables.

Filters narrow only the figures they make sense for: `region`, `service_id` and `service_type` narrow
engagement, services and commitments and feedback (through its service); `region` narrows training
sessions and champions; `region` and `service_id` narrow opportunities (by their own region or their
service's). Notifications are never narrowed.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_commitments import Commitments, commitments
from .views_engagement import Engagement, engagement, engagement_section
from .views_model import Filters, Period
from .views_other import (
    Champions,
    Feedback,
    Notifications,
    Opportunities,
    Section,
    Together,
    Training,
    champions,
    feedback,
    notifications,
    opportunities,
    read_sections,
    together,
    training,
)

__all__ = ["Filters", "Period", "Summary", "financial_year", "summary"]


class PeriodOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")


class FiltersOut(BaseModel):
    region: str | None
    service_id: str | None
    service_type: str | None


class Summary(BaseModel):
    """The body of `GET /v1/kpis/summary`, without `as_of`."""

    period: PeriodOut
    filters: FiltersOut
    engagement: Engagement
    commitments: Commitments
    training: Training
    feedback: Feedback
    champions: Champions
    opportunities: Opportunities
    notifications: Notifications


def financial_year(today: date) -> Period:
    """1 April to 31 March, the year that holds `today`."""
    first = today.year if today.month >= 4 else today.year - 1
    return Period(date(first, 4, 1), date(first + 1, 3, 31))


async def summary(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters, from_rollup: bool | None = None
) -> Summary:
    """`from_rollup=False` reads the tables, not the rollups, even on PostgreSQL (the benchmark's "before")."""
    rolled = conn.dialect.name == "postgresql" if from_rollup is None else from_rollup
    found = await read_sections(conn, _sections(model, period, filters, rolled))
    if not rolled:
        found.insert(0, await engagement(conn, model, period, filters))
    engaged, held, trained, answered, champion_group, menu, alerts = found
    return Summary(
        period=PeriodOut(start=period.start, end=period.end),
        filters=FiltersOut(region=filters.region, service_id=filters.service_id, service_type=filters.service_type),
        engagement=engaged, commitments=held, training=trained, feedback=answered, champions=champion_group,
        opportunities=menu, notifications=alerts,
    )


@lru_cache(maxsize=256)
def _sections(model: ReadModel, period: Period, filters: Filters, rolled: bool) -> Together:
    sections: list[Section[Any]] = [engagement_section(model, period, filters)] if rolled else []
    return together([
        *sections, commitments(model, period, filters), training(model, period, filters),
        feedback(model, period, filters, rolled), champions(model, period, filters),
        opportunities(model, period, filters), notifications(model, period, rolled),
    ])
