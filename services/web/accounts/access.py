"""Who may see what: an officer everything, a manager their regions or services, a viewer national figures.

The limits shape the question the web asks projections, so editing the URL cannot widen them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..pages.dimensions import Dimensions
from ..pages.query import Query

Role = Literal["officer", "manager", "viewer"]
ROLES: tuple[Role, ...] = ("officer", "manager", "viewer")


class Refused(Exception):
    """A question outside what this account may see (403); the message says what it may see."""


@dataclass(frozen=True)
class Access:
    role: Role
    regions: tuple[str, ...] = field(default=())
    services: tuple[str, ...] = field(default=())

    def may_see_region(self, region: str) -> bool:
        return self.role == "officer" or (self.role == "manager" and region in self.regions)

    def may_see_service(self, service_id: str, region: str | None) -> bool:
        if self.role == "officer":
            return True
        in_region = region is not None and region in self.regions
        return self.role == "manager" and (service_id in self.services or in_region)

    def describe(self) -> str:
        if self.role == "officer":
            return "officer: every figure"
        if self.role == "viewer":
            return "viewer: national figures"
        limits = [*(f"region {r}" for r in self.regions), *(f"service {s}" for s in self.services)]
        return "manager: " + ", ".join(limits)

    def limit(self, query: Query, dims: Dimensions) -> Query:
        """The question narrowed to what this account may see, or Refused when it asks for more."""
        if self.role == "officer":
            return query
        if self.role == "viewer":
            if not query.national or query.service_type:
                raise Refused("Your account sees national figures only, so it cannot choose a region or service.")
            return query
        return self._limit_manager(query, dims)

    def _limit_manager(self, query: Query, dims: Dimensions) -> Query:
        if query.service_id:
            region = dims.region_of(query.service_id)
            if not self.may_see_service(query.service_id, region):
                raise Refused(f"Your account cannot see the figures of {dims.name_of(query.service_id)}. "
                              f"It sees {self._limits_text(dims)}.")
            if query.region is None and query.service_id in self.services:
                return query.with_changes(region=region)
            return query
        if query.region:
            if query.region not in self.regions:
                raise Refused(f"Your account cannot see the figures of the region {query.region}. "
                              f"It sees {self._limits_text(dims)}.")
            return query
        if self.regions:
            return query.with_changes(region=self.regions[0])
        first = self.services[0]
        return query.with_changes(service_id=first, region=dims.region_of(first))

    def _limits_text(self, dims: Dimensions) -> str:
        parts = [*(f"the region {r}" for r in self.regions), *(dims.name_of(s) for s in self.services)]
        return " and ".join(parts)
