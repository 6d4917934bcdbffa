"""What a page is asked, checked and narrowed to what the person may see, with what it needs to answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from ..accounts.access import Access, Refused
from ..clients.projections import Projections
from .choices import Choice, choices
from .dimensions import Dimensions, dimensions
from .query import Query, query_of


@dataclass(frozen=True)
class Asked:
    query: Query
    dims: Dimensions
    access: Access
    projections: Projections

    async def get(self, path: str, query: Query | None = None, **extra: str) -> dict[str, Any]:
        return await self.projections.get(path, {**(query or self.query).params(), **extra})

    @property
    def choices(self) -> list[Choice]:
        return choices(self.dims, self.access, self.query)

    @property
    def scope_text(self) -> str:
        q, names = self.query, []
        if q.service_id:
            names.append(self.dims.name_of(q.service_id))
        elif q.region:
            names.append(f"the {q.region} region")
        if q.service_type:
            names.append(f"{q.service_type.replace('_', ' ')} services")
        where = ", ".join(names) or "every service"
        return f"Figures for {where}, {q.start.day} {q.start:%B %Y} to {q.end.day} {q.end:%B %Y}."


def access_of(request: Request) -> Access:
    found: Access | None = getattr(request.state, "access", None)
    if found is None:
        raise Refused("Sign in to see the figures.")
    return found


async def asked(request: Request) -> Asked:
    projections: Projections = request.app.state.projections
    query = query_of(request)
    dims = await dimensions(projections, query)
    dims.check(query)
    access = access_of(request)
    return Asked(access.limit(query, dims), dims, access, projections)


AskedDep = Annotated[Asked, Depends(asked)]
