"""The values the filters can take (`GET /v1/kpis/dimensions`), and the check that a filter names one of them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Select, exists, literal, or_, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.events.services import ServiceType

from .tables import ReadModel
from .views_model import Filters

SERVICE_TYPES = tuple(kind.value for kind in ServiceType)


class ServiceChoice(BaseModel):
    service_id: str = Field(examples=["svc-014"])
    name: str | None = Field(examples=["Rosebank Court"])
    region: str | None = Field(examples=["north_west"])
    service_type: str | None = Field(examples=["retirement_living"])
    closed_on: str | None = Field(None, description="when it closed, if it has", examples=[None])


class Dimensions(BaseModel):
    """Every value a KPI filter may take: `region`, `service_id` (with its name) and `service_type`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "regions": ["north_east", "north_west"],
        "services": [{"service_id": "svc-014", "name": "Rosebank Court", "region": "north_west",
                      "service_type": "retirement_living", "closed_on": None}],
        "service_types": list(SERVICE_TYPES),
    }]})

    regions: list[str]
    services: list[ServiceChoice]
    service_types: list[str]


def _region_columns(conn: AsyncConnection, model: ReadModel) -> list[Column[Any]]:
    """Wherever a region is recorded; PostgreSQL reads the activities' regions from their rollup (indexed)."""
    activities = model.activity_months if conn.dialect.name == "postgresql" else model.activities
    return [model.services.c.region, activities.c.region, model.training_sessions.c.region,
            model.champions.c.region, model.opportunities.c.region]


async def dimensions(conn: AsyncConnection, model: ReadModel) -> Dimensions:
    s = model.services
    regions: Select[Any] = union(*(select(c.label("region")).where(c.is_not(None), c != "") for c in
                                   _region_columns(conn, model)))  # type: ignore[assignment]
    found = sorted(str(region) for region in await conn.scalars(regions))
    rows = await conn.execute(select(s.c.service_id, s.c.name, s.c.region, s.c.service_type, s.c.closed_on)
                              .order_by(s.c.name, s.c.service_id))
    services = [ServiceChoice(**{**row._mapping, "closed_on": _iso(row.closed_on)}) for row in rows]
    return Dimensions(regions=found, services=services, service_types=list(SERVICE_TYPES))


async def service_names(conn: AsyncConnection, model: ReadModel) -> dict[str, str | None]:
    s = model.services
    return {row.service_id: row.name for row in await conn.execute(select(s.c.service_id, s.c.name))}


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


async def unknown_filters(conn: AsyncConnection, model: ReadModel, filters: Filters) -> list[dict[str, str]]:
    """A problem for each filter that names nothing coprod has heard of, naming the values it could be."""
    problems = []
    if filters.service_type is not None and filters.service_type not in SERVICE_TYPES:
        problems.append(_problem("service_type", filters.service_type, SERVICE_TYPES))
    if filters.region is not None and not await _region_known(conn, model, filters.region):
        problems.append(_problem("region", filters.region, (await dimensions(conn, model)).regions))
    if filters.service_id is not None and not await _service_known(conn, model, filters.service_id):
        problems.append({"field": "service_id", "message": (
            f"there is no service with the id {filters.service_id!r}; GET /v1/kpis/dimensions lists every service"
            " with its id and name")})
    return problems


async def _region_known(conn: AsyncConnection, model: ReadModel, region: str) -> bool:
    anywhere = or_(*(exists().where(c == region) for c in _region_columns(conn, model)))
    return bool(await conn.scalar(select(literal(1)).where(anywhere)))


async def _service_known(conn: AsyncConnection, model: ReadModel, service_id: str) -> bool:
    s, a = model.services, model.activities
    anywhere = or_(exists().where(s.c.service_id == service_id), exists().where(a.c.service_id == service_id))
    return bool(await conn.scalar(select(literal(1)).where(anywhere)))


def _problem(field: str, value: str, valid: Any) -> dict[str, str]:
    choices = ", ".join(valid) if valid else "none yet (no events name one)"
    return {"field": field, "message": f"there is no {field.replace('_', ' ')} called {value!r}; it may be: {choices}"}
