"""The values the filters may take: regions, service types, and services with their names."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.events.services import ServiceType

from ..clients.projections import Projections
from .query import BadQuery, Query

SERVICE_TYPES = tuple(kind.value for kind in ServiceType)


@dataclass(frozen=True)
class Service:
    service_id: str
    name: str
    region: str | None
    service_type: str | None


@dataclass(frozen=True)
class Dimensions:
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        return sorted({s.region for s in self.services.values() if s.region})

    @property
    def service_types(self) -> list[str]:
        return list(SERVICE_TYPES)

    def name_of(self, service_id: str | None) -> str:
        if service_id is None:
            return "No service"
        found = self.services.get(service_id)
        return found.name if found else service_id

    def region_of(self, service_id: str) -> str | None:
        found = self.services.get(service_id)
        return found.region if found else None

    def check(self, query: Query) -> None:
        """Only values that exist: anything else is a mistyped or edited URL."""
        if query.region and query.region not in self.regions:
            raise BadQuery(f"There is no region called {query.region!r}. Choose one from the list.")
        if query.service_id and query.service_id not in self.services:
            raise BadQuery(f"There is no service with the id {query.service_id!r}. Choose one from the list.")
        if query.service_type and query.service_type not in SERVICE_TYPES:
            raise BadQuery(f"There is no service type called {query.service_type!r}. Choose one from the list.")


async def dimensions(projections: Projections, query: Query) -> Dimensions:
    """Every service open at the end of the period, read from the commitments list (which names each)."""
    body = await projections.get("/v1/kpis/commitments", {"from": query.start.isoformat(), "to": query.end.isoformat()})
    services = {
        row["service_id"]: Service(row["service_id"], row.get("name") or row["service_id"], row.get("region"),
                                   row.get("service_type"))
        for row in body["rows"]
    }
    return Dimensions(dict(sorted(services.items(), key=lambda item: item[1].name)))
