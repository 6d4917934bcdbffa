"""The register behind the figures: each counted activity, with its summary and outcome from its own facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel
from .views_model import Filters, Period, counted_activities

TELLING = ("engagement.recorded", "engagement.amended", "engagement.outcome_recorded")
MOST = 1000


class ActivityRow(BaseModel):
    activity_id: str
    occurred_on: date | None
    service_id: str | None
    region: str | None
    activity_type: str | None
    level: str | None
    mode: str | None
    customers: int
    colleagues: int
    summary: str | None = None
    outcome: str | None = None
    outcome_on: date | None


async def activity_register(
    conn: AsyncConnection, model: ReadModel, period: Period, filters: Filters, level: str | None = None
) -> list[ActivityRow]:
    """The counted activities (newest first, at most `MOST`), at one level if asked; a summary or outcome is the
    latest one given (by the events' time, then position), as every other field is."""
    a, f = model.activities, model.facts
    where = counted_activities(model, period, filters)
    if level:
        where = where & (a.c.level == level)
    query = select(a).where(where).order_by(a.c.occurred_on.desc(), a.c.activity_id).limit(MOST)
    rows = list(await conn.execute(query))
    told: dict[str, dict[str, Any]] = {}
    ids = [row.activity_id for row in rows]
    for start in range(0, len(ids), 500):
        facts = select(f.c.key, f.c.type, f.c.data).where(f.c.key.in_(ids[start:start + 500]), f.c.type.in_(TELLING))
        for key, kind, data in await conn.execute(facts.order_by(f.c.time, f.c.position)):
            into = told.setdefault(key, {})
            if kind == "engagement.outcome_recorded":
                into["outcome"] = data.get("outcome")
            elif data.get("summary"):
                into["summary"] = data["summary"]
    return [
        ActivityRow(
            activity_id=row.activity_id, occurred_on=row.occurred_on, service_id=row.service_id, region=row.region,
            activity_type=row.activity_type, level=row.level, mode=row.mode, customers=row.customers,
            colleagues=row.colleagues, outcome_on=row.outcome_on, **told.get(row.activity_id, {}),
        )
        for row in rows
    ]
