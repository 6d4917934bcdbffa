"""Training by module: sessions held, and the customers and colleagues trained in each, each person once a module."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Filters, Period, within
from .views_other import in_region


class ModuleRow(BaseModel):
    """One module's sessions in the period, and the people trained in it (a person at two of its sessions once)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "module": "Co-production 101", "sessions": 4, "customers": 18, "colleagues": 9, "people": 27}]})

    module: str
    sessions: int
    customers: int
    colleagues: int
    people: int


async def training_by_module(conn: AsyncConnection, model: ReadModel, period: Period,
                             filters: Filters) -> list[ModuleRow]:
    t, att = model.training_sessions, model.attendance
    module = func.coalesce(t.c.module, "").label("module")
    held = and_(within(t.c.held_on, period), in_region(model, filters.region))
    sessions = select(module, func.count().label("sessions")).where(held).group_by(module).subquery()
    person = att.c.person_id
    people = select(
        module,
        func.count(distinct(person)).filter(att.c.role == "customer").label("customers"),
        func.count(distinct(person)).filter(att.c.role == "colleague").label("colleagues"),
        func.count(distinct(person)).label("people"),
    ).select_from(att.join(t, att.c.session_id == t.c.session_id)).where(held).group_by(module).subquery()
    query = select(
        sessions.c.module, sessions.c.sessions, func.coalesce(people.c.customers, 0),
        func.coalesce(people.c.colleagues, 0), func.coalesce(people.c.people, 0),
    ).select_from(sessions.outerjoin(people, sessions.c.module == people.c.module)).order_by(sessions.c.module)
    return [ModuleRow(module=m or "(no module given)", sessions=s, customers=c, colleagues=g, people=n)
            for m, s, c, g, n in await conn.execute(query)]
