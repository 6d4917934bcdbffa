"""The Menu of Involvement: the opportunities open on a day, with what a person needs to take one up.

Public details only (what the opportunity's publisher wrote, and how many places are left): no person is named.
The menu is short (the opportunities open today), so it is read whole and narrowed here, one rule for each filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import as_utc

from .tables import ReadModel
from .views_model import Filters, services_open
from .views_other import open_on


class MenuEntry(BaseModel):
    opportunity_id: str
    title: str | None
    summary: str | None
    scope: str | None = Field(description="national, regional or service")
    region: str | None = Field(description="the region it names, else its service's region")
    service_id: str | None
    service_name: str | None
    topics: list[str]
    open_to: str = Field(description="customers, colleagues or both")
    mode: str | None = Field(description="face_to_face, virtual, hybrid or written")
    starts_at: datetime | None
    location: str | None = Field(description="where it happens, or how to join online")
    accessibility_support: str | None = Field(description="the support offered to take part")
    expenses_paid: bool
    places: int | None
    places_left: int | None = Field(description="places less sign-ups so far (never below 0); none if unlimited")
    closes_on: date | None
    status: Literal["open", "closed"] = Field(description="open on the day asked about, or closed")
    how_to_take_part: str | None
    customer_group_meeting: bool = Field(description="a meeting of the national C&S Customer Group")


class ServiceName(BaseModel):
    service_id: str
    name: str | None
    region: str | None


class MenuChoices(BaseModel):
    """The values the menu's filters can take among the opportunities open on the day, and the services open on
    it (a scheme's menu: its own opportunities, its region's and the national ones)."""

    services: list[ServiceName]
    regions: list[str]
    modes: list[str]
    topics: list[str]
    open_to: list[str]


class Menu(BaseModel):
    on: date
    rows: list[MenuEntry]
    choices: MenuChoices


@dataclass(frozen=True)
class MenuFilters:
    region: str | None = None
    mode: str | None = None
    topic: str | None = None
    open_to: str | None = None
    service_id: str | None = None


def _entries(model: ReadModel, on: date) -> Select[Any]:
    o, s, su = model.opportunities, model.services, model.sign_ups
    sign_ups = select(func.count()).where(su.c.opportunity_id == o.c.opportunity_id).scalar_subquery()
    of_service = s.c.service_id == o.c.service_id
    region: ColumnElement[Any] = func.coalesce(o.c.region, select(s.c.region).where(of_service).scalar_subquery())
    return select(
        *(o.c[name] for name in _OWN), region.label("region"),
        select(s.c.name).where(of_service).scalar_subquery().label("service_name"),
        sign_ups.label("sign_ups"), open_on(model, on).label("is_open"),
    )


_OWN = ("opportunity_id", "title", "summary", "scope", "service_id", "topics", "open_to", "mode", "starts_at",
        "location", "accessibility_support", "expenses_paid", "places", "closes_on", "how_to_take_part",
        "customer_group_meeting")


_NEVER = datetime.max.replace(tzinfo=UTC)


def _entry(row: Any) -> MenuEntry:
    found = dict(row._mapping)
    taken, places, starts = found.pop("sign_ups"), found["places"], found["starts_at"]
    left = None if places is None else max(places - taken, 0)
    status: Literal["open", "closed"] = "open" if found.pop("is_open") else "closed"
    starts = as_utc(starts) if starts is not None else None
    topics = orjson.loads(found["topics"] or "[]")
    return MenuEntry(**{**found, "topics": topics, "starts_at": starts}, places_left=left, status=status)


async def open_menu(conn: AsyncConnection, model: ReadModel, on: date, filters: MenuFilters) -> Menu:
    entries = [_entry(row) for row in await conn.execute(_entries(model, on).where(open_on(model, on)))]
    entries.sort(key=lambda e: (e.starts_at is None, e.starts_at or _NEVER, e.closes_on or date.max, e.opportunity_id))
    services = await _services_open(conn, model, on)
    region_of = {s.service_id: s.region for s in services}
    kept = [e for e in entries if wanted(e, filters, region_of.get(filters.service_id or ""))]
    return Menu(on=on, rows=kept, choices=_choices(entries, services))


async def _services_open(conn: AsyncConnection, model: ReadModel, on: date) -> list[ServiceName]:
    s = model.services
    query = select(s.c.service_id, s.c.name, s.c.region).where(s.c.service_id.in_(services_open(model, on, Filters())))
    return [ServiceName(**row._mapping) for row in await conn.execute(query.order_by(s.c.name, s.c.service_id))]


async def menu_entry(conn: AsyncConnection, model: ReadModel, on: date, opportunity_id: str) -> MenuEntry | None:
    o = model.opportunities
    query = _entries(model, on).where(o.c.opportunity_id == opportunity_id, o.c.published_on <= on)
    row = (await conn.execute(query)).first()
    return None if row is None else _entry(row)


def wanted(entry: MenuEntry, filters: MenuFilters, service_region: str | None = None) -> bool:
    """A national opportunity is open to people in every region, so it is kept whatever region is asked for; a
    service's menu has its own opportunities, its region's and the national ones; an opportunity open to both
    customers and colleagues is kept for either."""
    national = entry.scope == "national"
    checks = (
        filters.region is None or entry.region == filters.region or national,
        filters.service_id is None or entry.service_id == filters.service_id or national
        or (entry.scope == "regional" and service_region is not None and entry.region == service_region),
        filters.mode is None or entry.mode == filters.mode,
        filters.topic is None or filters.topic in entry.topics,
        filters.open_to is None or entry.open_to in (filters.open_to, "both"),
    )
    return all(checks)


def _choices(entries: list[MenuEntry], services: list[ServiceName]) -> MenuChoices:
    def values(found: Any) -> list[str]:
        return sorted({v for v in found if v})

    return MenuChoices(
        services=services, regions=values(e.region for e in entries), modes=values(e.mode for e in entries),
        topics=values(t for e in entries for t in e.topics), open_to=values(e.open_to for e in entries),
    )
