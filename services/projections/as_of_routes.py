"""`GET /v1/kpis/as-of`: how up to date the figures are and nothing else, so a dashboard can ask every second
whether anything moved without asking for the figures themselves."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from shared.http import scoped
from shared.openapi import KEY_REFUSALS

from .api_models import AsOf
from .state import reading

router = APIRouter(prefix="/v1/kpis", tags=["kpis"], dependencies=[Depends(scoped("read"))], responses=KEY_REFUSALS)


@router.get("/as-of", response_model=AsOf)
async def get_as_of(request: Request) -> AsOf:
    """The last event applied (`position`), how many have arrived and are not yet applied (`lag`), and when the
    figures last moved: when `position` changes, every figure may have."""
    async with reading(request.app.state.engine) as (_, now):
        updated = now.updated_at.isoformat() if now.updated_at else None
        return AsOf(position=now.position, lag=now.lag, updated_at=updated)
