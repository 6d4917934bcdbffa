"""The filter form's choices: only values that exist, and only those this person may see."""

from __future__ import annotations

from dataclasses import dataclass

from ..accounts.access import Access
from .dimensions import Dimensions
from .formatting import label
from .query import Query


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    everything: str | None
    options: list[tuple[str, str]]
    chosen: str | None


def choices(dims: Dimensions, access: Access, query: Query) -> list[Choice]:
    if access.role == "viewer":
        return []
    regions = [r for r in dims.regions if access.may_see_region(r)]
    services = [s for s in dims.services.values() if access.may_see_service(s.service_id, s.region)]
    everything = access.role == "officer"
    found = [
        Choice("region", "Region", "All regions" if everything else None, [(r, label(r)) for r in regions],
               query.region),
        Choice("service_id", "Service", "All services" if everything or access.regions else None,
               [(s.service_id, s.name) for s in services], query.service_id),
        Choice("service_type", "Service type", "All types", [(t, label(t)) for t in dims.service_types],
               query.service_type),
    ]
    return [choice for choice in found if choice.options]
