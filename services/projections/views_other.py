"""The summary's smaller figures: training, feedback, champions, opportunities and notifications."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_commitments import Commitments, commitments
from .views_model import Filters, Period, within

__all__ = ["Commitments", "commitments"]


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


def _count(where: ColumnElement[bool], *, of: ColumnElement[object] | None = None) -> ColumnElement[int]:
    counted = func.count() if of is None else func.count(of.distinct())
    return select(counted).where(where).scalar_subquery()


async def _one(conn: AsyncConnection, *figures: ColumnElement[int]) -> list[int]:
    return [int(value) for value in (await conn.execute(select(*figures))).one()]


def in_region(model: ReadModel, region: str | None) -> ColumnElement[bool]:
    return true() if region is None else model.training_sessions.c.region == region


async def training(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Training:
    t, att = model.training_sessions, model.attendance
    held = and_(within(t.c.held_on, period), in_region(model, filters.region))
    attended = and_(att.c.session_id.in_(select(t.c.session_id).where(held)))
    sessions, customers, colleagues, total = await _one(
        conn,
        _count(held),
        _count(and_(attended, att.c.role == "customer"), of=att.c.person_id),
        _count(and_(attended, att.c.role == "colleague"), of=att.c.person_id),
        _count(attended, of=att.c.person_id),
    )
    return Training(sessions=sessions, people_trained=ByRole(customer=customers, colleague=colleagues, total=total))


def feedback_matching(model: ReadModel, filters: Filters) -> ColumnElement[bool]:
    f = model.feedback
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.service_id is not None:
        conditions.append(f.c.service_id == filters.service_id)
    if filters.region is not None or filters.service_type is not None:
        by_service = Filters(region=filters.region, service_type=filters.service_type)
        conditions.append(f.c.service_id.in_(_services_matching(model, by_service)))
    return and_(*conditions)


def _services_matching(model: ReadModel, filters: Filters) -> Select[tuple[str]]:
    s = model.services
    wanted = {"region": filters.region, "service_id": filters.service_id, "service_type": filters.service_type}
    return select(s.c.service_id).where(*(s.c[k] == v for k, v in wanted.items() if v is not None))


async def feedback(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Feedback:
    f = model.feedback
    received = and_(within(f.c.received_on, period), feedback_matching(model, filters))
    responded = and_(received, f.c.responded_on <= period.end)
    counts = await _one(conn, _count(received), _count(responded), _count(and_(responded, f.c.action_taken)))
    return Feedback(received=counts[0], responded=counts[1], actioned=counts[2])


def champions_on(model: ReadModel, on: date, region: str | None) -> ColumnElement[bool]:
    c = model.champions
    still_in = or_(c.c.left_on.is_(None), c.c.left_on > on)
    return and_(c.c.joined_on <= on, still_in, true() if region is None else c.c.region == region)


async def champions(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Champions:
    c = model.champions
    current = champions_on(model, period.end, filters.region)
    customers, colleagues, total = await _one(
        conn, _count(and_(current, c.c.role == "customer")), _count(and_(current, c.c.role == "colleague")),
        _count(current),
    )
    return Champions(customer=customers, colleague=colleagues, total=total)


def opportunities_matching(model: ReadModel, filters: Filters) -> ColumnElement[bool]:
    o = model.opportunities
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.service_id is not None:
        conditions.append(o.c.service_id == filters.service_id)
    if filters.region is not None:
        services_there = _services_matching(model, Filters(region=filters.region))
        conditions.append(or_(o.c.region == filters.region, o.c.service_id.in_(services_there)))
    return and_(*conditions)


def open_on(model: ReadModel, on: date) -> ColumnElement[bool]:
    o = model.opportunities
    return and_(o.c.published_on <= on, or_(o.c.closed_on.is_(None), o.c.closed_on > on), o.c.closes_on >= on)


async def opportunities(conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters) -> Opportunities:
    o, su = model.opportunities, model.sign_ups
    matching = opportunities_matching(model, filters)
    published = and_(within(o.c.published_on, period), matching)
    signed_up = su.c.opportunity_id.in_(select(o.c.opportunity_id).where(published))
    counts = await _one(conn, _count(published), _count(and_(open_on(model, period.end), matching)), _count(signed_up))
    return Opportunities(published=counts[0], open=counts[1], sign_ups=counts[2])


async def notifications(conn: AsyncConnection, model: ReadModel, period: Period) -> Notifications:
    n = model.notifications
    sent_in = within(n.c.dated, period)
    sent, failed = await _one(
        conn, _count(and_(sent_in, n.c.status == "sent")), _count(and_(sent_in, n.c.status == "failed"))
    )
    return Notifications(sent=sent, failed=failed)
