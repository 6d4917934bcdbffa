"""The national C&S Customer Group's figures: how accessible the national opportunities were, and who took them up.

Counts only: sign-ups are by pseudonymous token, and a member is a champion who chose the group (their token is
the sign-up's, since ingest gives one person one token).
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Period, within
from .views_other import ByRole, Section, champions_on, read_sections, together

SUPPORTED_MODES = ("virtual", "hybrid")


class NationalOpportunities(BaseModel):
    published: int = Field(description="national opportunities published in the period")
    group_meetings: int = Field(description="of them, meetings of the national C&S Customer Group")
    support_offered: int = Field(description="with accessibility support offered")
    virtual_or_hybrid: int = Field(description="that can be joined online (virtual or hybrid)")
    expenses_paid: int = Field(description="with expenses paid")
    all_three: int = Field(description="with support offered, online and expenses paid, all three")


class TakenUp(BaseModel):
    customers: int
    colleagues: int
    group_members: int = Field(description="sign-ups by members of the national C&S Customer Group on `as_at`")
    not_group_members: int
    total: int
    people: int = Field(description="different people who signed up, each counted once")


class CustomerGroup(BaseModel):
    national_opportunities: NationalOpportunities
    sign_ups: TakenUp = Field(description="sign-ups to those national opportunities")
    members: ByRole = Field(description="members of the group on `as_at`: champions who chose it and had not left")


def _national(model: ReadModel, period: Period) -> ColumnElement[bool]:
    o = model.opportunities
    return and_(o.c.scope == "national", within(o.c.published_on, period))


def opportunities(model: ReadModel, period: Period) -> Section[NationalOpportunities]:
    o = model.opportunities
    support = and_(o.c.accessibility_support.is_not(None), o.c.accessibility_support != "")
    online, paid = o.c.mode.in_(SUPPORTED_MODES), o.c.expenses_paid
    figures = select(
        func.count(), func.count().filter(o.c.customer_group_meeting), func.count().filter(support),
        func.count().filter(online), func.count().filter(paid), func.count().filter(and_(support, online, paid)),
    ).where(_national(model, period))
    return Section(figures, lambda v: NationalOpportunities(
        published=v[0], group_meetings=v[1], support_offered=v[2], virtual_or_hybrid=v[3], expenses_paid=v[4],
        all_three=v[5],
    ))


def _member(model: ReadModel, period: Period) -> ColumnElement[bool]:
    c = model.champions
    return and_(c.c.national_customer_group, champions_on(model, period.as_at, None))


def sign_ups(model: ReadModel, period: Period) -> Section[TakenUp]:
    o, su, c = model.opportunities, model.sign_ups, model.champions
    member = exists().where(c.c.champion_id == su.c.person_id, _member(model, period))
    figures = select(
        func.count().filter(su.c.role == "customer"), func.count().filter(su.c.role == "colleague"),
        func.count().filter(member), func.count(), func.count(su.c.person_id.distinct()),
    ).where(su.c.opportunity_id.in_(select(o.c.opportunity_id).where(_national(model, period))))
    return Section(figures, lambda v: TakenUp(
        customers=v[0], colleagues=v[1], group_members=v[2], not_group_members=v[3] - v[2], total=v[3], people=v[4],
    ))


def members(model: ReadModel, period: Period) -> Section[ByRole]:
    c = model.champions
    figures = select(
        func.count().filter(c.c.role == "customer"), func.count().filter(c.c.role == "colleague"), func.count()
    ).where(_member(model, period))
    return Section(figures, lambda v: ByRole(customer=v[0], colleague=v[1], total=v[2]))


async def customer_group(conn: AsyncConnection, model: ReadModel, period: Period) -> CustomerGroup:
    sections = together([opportunities(model, period), sign_ups(model, period), members(model, period)])
    national, taken, group = await read_sections(conn, sections)
    return CustomerGroup(national_opportunities=national, sign_ups=taken, members=group)
