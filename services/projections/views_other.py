"""The summary's smaller figures: training, feedback, champions, opportunities and notifications."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, FromClause, Select, and_, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Filters, Period, of_services_matching, services_matching, within
from .views_rollup import rolled_feedback, rolled_notifications

M = TypeVar("M", bound=BaseModel)


class ByRole(BaseModel):
    customer: int
    colleague: int
    total: int


class Training(BaseModel):
    sessions: int
    people_trained: ByRole


class Feedback(BaseModel):
    received: int
    responded: int
    actioned: int


class Champions(ByRole):
    pass


class Opportunities(BaseModel):
    published: int
    open: int
    sign_ups: int


class Notifications(BaseModel):
    sent: int
    failed: int
    possibly_sent_twice: int = Field(
        description="of those sent, how many notify sent again after dying mid-send: the champion may have had two"
    )


def _count(where: ColumnElement[bool]) -> ColumnElement[int]:
    return select(func.count()).where(where).scalar_subquery()


@dataclass(frozen=True)
class Section(Generic[M]):
    """A query giving one row of figures, and how to make a section of the summary from their values.

    Figures of one table are counted in one pass (`count(*) filter (where …)`), not one scan each."""

    figures: Select[*tuple[Any, ...]]
    build: Callable[[list[int]], M]


@dataclass(frozen=True)
class Together:
    """Sections' figures side by side in one statement (one round trip), built once and kept: building it costs
    more than running it, and a dashboard asks the same question again and again."""

    sections: tuple[Section[Any], ...]
    statement: Select[*tuple[Any, ...]]
    widths: tuple[int, ...]


def together(sections: Sequence[Section[Any]]) -> Together:
    rows = [section.figures.subquery(f"section_{n}") for n, section in enumerate(sections)]
    joined: FromClause = rows[0]
    for row in rows[1:]:
        joined = joined.join(row, true())  # one row each: joined side by side
    statement = select(*(c for r in rows for c in r.c)).select_from(joined)
    return Together(tuple(sections), statement, tuple(len(r.c) for r in rows))


async def read_sections(conn: AsyncConnection, sections: Together) -> list[Any]:
    values = [int(v) for v in (await conn.execute(sections.statement)).one()]
    built, at = [], 0
    for section, width in zip(sections.sections, sections.widths, strict=True):
        built.append(section.build(values[at:at + width]))
        at += width
    return built


def in_region(model: ReadModel, region: str | None) -> ColumnElement[bool]:
    return true() if region is None else model.training_sessions.c.region == region


def training(model: ReadModel, period: Period, filters: Filters) -> Section[Training]:
    """People are grouped first (a hashed grouping), not counted distinct three times (three sorts)."""
    t, att = model.training_sessions, model.attendance
    held = and_(within(t.c.held_on, period), in_region(model, filters.region))
    people = select(
        func.max(case((att.c.role == "customer", 1), else_=0)).label("customer"),
        func.max(case((att.c.role == "colleague", 1), else_=0)).label("colleague"),
    ).where(att.c.session_id.in_(select(t.c.session_id).where(held))).group_by(att.c.person_id).subquery()
    figures = select(
        _count(held), func.count().filter(people.c.customer == 1), func.count().filter(people.c.colleague == 1),
        func.count(),
    ).select_from(people)
    return Section(figures, lambda v: Training(
        sessions=v[0], people_trained=ByRole(customer=v[1], colleague=v[2], total=v[3])
    ))


def feedback(model: ReadModel, period: Period, filters: Filters, from_rollup: bool = False) -> Section[Feedback]:
    f = model.feedback
    received = and_(within(f.c.received_on, period), of_services_matching(f.c.service_id, model, filters))
    responded = f.c.responded_on <= period.end
    figures = rolled_feedback(model, period, filters) if from_rollup else select(
        func.count(), func.count().filter(responded), func.count().filter(and_(responded, f.c.action_taken))
    ).where(received)
    return Section(figures, lambda v: Feedback(received=v[0], responded=v[1], actioned=v[2]))


def champions_on(model: ReadModel, on: date, region: str | None) -> ColumnElement[bool]:
    c = model.champions
    still_in = or_(c.c.left_on.is_(None), c.c.left_on > on)
    return and_(c.c.joined_on <= on, still_in, true() if region is None else c.c.region == region)


def champions(model: ReadModel, period: Period, filters: Filters) -> Section[Champions]:
    c = model.champions
    current = champions_on(model, period.as_at, filters.region)
    figures = select(
        func.count().filter(c.c.role == "customer"), func.count().filter(c.c.role == "colleague"), func.count()
    ).where(current)
    return Section(figures, lambda v: Champions(customer=v[0], colleague=v[1], total=v[2]))


def opportunities_matching(model: ReadModel, filters: Filters) -> ColumnElement[bool]:
    o = model.opportunities
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.service_id is not None:
        conditions.append(o.c.service_id == filters.service_id)
    if filters.region is not None:
        services_there = services_matching(model, Filters(region=filters.region))
        conditions.append(or_(o.c.region == filters.region, o.c.service_id.in_(services_there)))
    return and_(*conditions)


def open_on(model: ReadModel, on: date) -> ColumnElement[bool]:
    o = model.opportunities
    return and_(o.c.published_on <= on, or_(o.c.closed_on.is_(None), o.c.closed_on > on), o.c.closes_on >= on)


def opportunities(model: ReadModel, period: Period, filters: Filters) -> Section[Opportunities]:
    o, su = model.opportunities, model.sign_ups
    matching = opportunities_matching(model, filters)
    published = and_(within(o.c.published_on, period), matching)
    signed_up = su.c.opportunity_id.in_(select(o.c.opportunity_id).where(published))
    figures = select(_count(published), _count(and_(open_on(model, period.as_at), matching)), _count(signed_up))
    return Section(figures, lambda v: Opportunities(published=v[0], open=v[1], sign_ups=v[2]))


def notifications(model: ReadModel, period: Period, from_rollup: bool = False) -> Section[Notifications]:
    n = model.notifications
    figures = rolled_notifications(model, period) if from_rollup else select(
        func.count().filter(n.c.status == "sent"),
        func.count().filter(n.c.status == "failed"),
        func.count().filter(n.c.status == "sent", n.c.possibly_sent_twice),
    ).where(within(n.c.dated, period))
    return Section(figures, lambda v: Notifications(sent=v[0], failed=v[1], possibly_sent_twice=v[2]))
