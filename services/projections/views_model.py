"""What every KPI query shares: the period, the filters, rates, and which services count on a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, Table, and_, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ACTIVITY_TYPES, LEVELS, MODES, ReadModel


@dataclass(frozen=True)
class Period:
    """Inclusive dates, and the day the question was asked (`today`), when it matters."""

    start: date
    end: date
    today: date | None = None

    @property
    def as_at(self) -> date:
        """The day status figures (services, commitments held and due for review, champions, open opportunities)
        are judged on: the period's last day, or today while the period has not ended."""
        return self.end if self.today is None else min(self.end, self.today)


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    service_id: str | None = None
    service_type: str | None = None


@dataclass
class Tally:
    """Counted activities in a period: how many, who took part, and their split by level, type and mode."""

    activities: int = 0
    customers: int = 0
    colleagues: int = 0
    with_outcome: int = 0
    by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    by_type: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIVITY_TYPES, 0))
    by_mode: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODES, 0))


class Rate(BaseModel):
    value: float
    numerator: int
    denominator: int

    @classmethod
    def of(cls, numerator: int, denominator: int) -> Rate:
        value = round(numerator / denominator, 4) if denominator else 0.0
        return cls(value=value, numerator=numerator, denominator=denominator)


def within(column: ColumnElement[date], period: Period) -> ColumnElement[bool]:
    return column.between(period.start, period.end)


def matching(table: Table, filters: Filters) -> ColumnElement[bool]:
    """The filters on a table that has `region`, `service_id` and `service_type` columns."""
    wanted = {"region": filters.region, "service_id": filters.service_id, "service_type": filters.service_type}
    conditions = [table.c[name] == value for name, value in wanted.items() if value is not None]
    return and_(true(), *conditions)


def services_open(model: ReadModel, on: date, filters: Filters) -> Select[tuple[str]]:
    """The services counted on `on`: opened by then and not closed on or before it."""
    s = model.services
    return select(s.c.service_id).where(
        s.c.opened_on <= on,
        or_(s.c.closed_on.is_(None), s.c.closed_on > on),
        matching(s, filters),
    )


def services_matching(model: ReadModel, filters: Filters) -> Select[tuple[str]]:
    s = model.services
    wanted = {"region": filters.region, "service_id": filters.service_id, "service_type": filters.service_type}
    return select(s.c.service_id).where(*(s.c[k] == v for k, v in wanted.items() if v is not None))


def of_services_matching(service_id: ColumnElement[str], model: ReadModel, filters: Filters) -> ColumnElement[bool]:
    """The filters on something that belongs to a service (feedback): through the service's region and type."""
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.service_id is not None:
        conditions.append(service_id == filters.service_id)
    if filters.region is not None or filters.service_type is not None:
        by_service = Filters(region=filters.region, service_type=filters.service_type)
        conditions.append(service_id.in_(services_matching(model, by_service)))
    return and_(*conditions)


def counted_activities(model: ReadModel, period: Period, filters: Filters) -> ColumnElement[bool]:
    a = model.activities
    return and_(a.c.recorded, ~a.c.withdrawn, within(a.c.occurred_on, period), matching(a, filters))


async def plan_for_these_values(conn: AsyncConnection) -> None:
    """PostgreSQL would otherwise settle on one generic plan for every filter, and a region's summary would read
    far more than it needs."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
