"""`/live/as-of`: how up to date projections' figures are, for live.js to ask twice a second whether to refresh."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/live/as-of")
async def live_as_of(request: Request) -> JSONResponse:
    """The last event projections applied; a page's figures may have moved when it changes."""
    found = await request.app.state.projections.get("/v1/kpis/as-of", {})
    return JSONResponse({"position": found["position"], "lag": found["lag"]})
