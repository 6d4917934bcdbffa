"""Service Involvement Commitments: which are held on a date, since when, and which are due for review."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Subquery, UnaryExpression, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Filters, Period, Rate, services_open
from .views_other import Section

HOLDING = ("signed", "renewed")


class Commitments(BaseModel):
    services: int
    services_with_commitment: int
    coverage: Rate
    due_for_review: int


class ServiceCommitment(BaseModel):
    service_id: str
    name: str | None
    region: str | None
    service_type: str | None
    commitment_held: bool
    held_since: date | None
    review_due_on: date | None
    review_due: bool
    commitment_id: str | None = None
    """The commitment held (the greatest id, when a service holds two), so a form can renew or lapse it."""


def _latest_first(model: ReadModel) -> tuple[UnaryExpression[Any], ...]:
    ce = model.commitment_events
    return (ce.c.dated.desc(), ce.c.time.desc(), ce.c.position.desc())


def held_on(model: ReadModel, on: date) -> Subquery:
    """Each commitment's state on `on`: `held` (1 when its latest signing, renewal or lapse dated on or before `on`
    is not a lapse), since when (the first signing or renewal after its last lapse) and its latest review date."""
    ce = model.commitment_events
    holding = ce.c.kind.in_(HOLDING)
    has_due = and_(holding, ce.c.review_due_on.is_not(None))
    rows = select(
        *ce.c,
        func.sum(case((ce.c.kind == "lapsed", 1), else_=0))
        .over(partition_by=ce.c.commitment_id, order_by=(ce.c.dated, ce.c.time, ce.c.position))
        .label("lapses"),
        func.row_number().over(partition_by=ce.c.commitment_id, order_by=_latest_first(model)).label("latest"),
        func.row_number()
        .over(partition_by=ce.c.commitment_id, order_by=(case((has_due, 0), else_=1), *_latest_first(model)))
        .label("due_rank"),
    ).where(ce.c.dated <= on).subquery()
    current = func.max(case((rows.c.latest == 1, rows.c.lapses))).over(partition_by=rows.c.commitment_id)
    m = select(rows, current.label("current")).subquery()
    m_holding = m.c.kind.in_(HOLDING)
    return (
        select(
            m.c.commitment_id,
            func.max(case((m.c.latest == 1, m.c.service_id))).label("service_id"),
            func.max(case((and_(m.c.latest == 1, m_holding), 1), else_=0)).label("held"),
            func.min(case((and_(m.c.lapses == m.c.current, m_holding), m.c.dated))).label("since"),
            func.max(case((and_(m.c.due_rank == 1, m_holding), m.c.review_due_on))).label("review_due_on"),
        )
        .group_by(m.c.commitment_id)
        .subquery()
    )


def commitments(model: ReadModel, period: Period, filters: Filters) -> Section[Commitments]:
    held = held_on(model, period.as_at)
    open_ids = services_open(model, period.as_at, filters).subquery()
    current = select(held).where(held.c.held == 1, held.c.service_id.in_(select(open_ids.c.service_id))).subquery()
    figures = select(
        select(func.count()).select_from(open_ids).scalar_subquery(),
        select(func.count(current.c.service_id.distinct())).scalar_subquery(),
        select(func.count()).where(current.c.review_due_on < period.as_at).scalar_subquery(),
    )
    return Section(figures, lambda v: Commitments(
        services=v[0], services_with_commitment=v[1], coverage=Rate.of(v[1], v[0]), due_for_review=v[2]
    ))


def _held_per_service(model: ReadModel, on: date) -> Subquery:
    held = held_on(model, on)
    current = select(held).where(held.c.held == 1).subquery()
    since, due = func.min(current.c.since).label("since"), func.min(current.c.review_due_on).label("review_due_on")
    held_id = func.max(current.c.commitment_id).label("commitment_id")
    return select(current.c.service_id, since, due, held_id).group_by(current.c.service_id).subquery()


async def commitments_by_service(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters
) -> list[ServiceCommitment]:
    s, per_service = model.services, _held_per_service(model, period.as_at)
    query = (
        select(s.c.service_id, s.c.name, s.c.region, s.c.service_type, per_service.c.since, per_service.c.review_due_on,
               per_service.c.commitment_id)
        .outerjoin(per_service, per_service.c.service_id == s.c.service_id)
        .where(s.c.service_id.in_(services_open(model, period.as_at, filters)))
        .order_by(per_service.c.service_id.is_not(None), s.c.service_id)
    )
    return [
        ServiceCommitment(
            service_id=row.service_id, name=row.name, region=row.region, service_type=row.service_type,
            commitment_held=row.since is not None, held_since=row.since, review_due_on=row.review_due_on,
            review_due=row.review_due_on is not None and row.review_due_on < period.as_at,
            commitment_id=row.commitment_id,
        )
        for row in await conn.execute(query)
    ]
