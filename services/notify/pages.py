"""The pages alerts link to: each opportunity in plain words with how to sign up, and how to stop alerts."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from . import store
from .messages import Renderer
from .runtime import Runtime, runtime

router = APIRouter(tags=["pages"])
RuntimeDep = Annotated[Runtime, Depends(runtime)]


def renderer_of(request: Request) -> Renderer:
    settings = request.app.state.settings
    return _cached_renderer(settings.public_url, settings.timezone)


@cache
def _cached_renderer(public_url: str, timezone: str) -> Renderer:
    return Renderer(public_url, ZoneInfo(timezone))


_MISSING: dict[int | str, dict[str, Any]] = {
    404: {"description": "A page saying the opportunity is not known", "content": {"text/html": {}}}
}


@router.get("/opportunities/{opportunity_id}", response_class=HTMLResponse, responses=_MISSING)
async def opportunity_page(opportunity_id: str, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """One opportunity in plain words, with how to sign up (the link every alert carries)."""
    async with rt.engine.connect() as conn:
        row = (await store.load_opportunities(conn, [opportunity_id])).get(opportunity_id)
    renderer = renderer_of(request)
    if row is None or row.published is None:
        return HTMLResponse(renderer.env.get_template("pages/missing.html").render(), status_code=404)
    page = renderer.env.get_template("pages/opportunity.html").render(
        o=renderer.describe(row.published),
        closed=row.closed_on is not None,
        stop_url=f"{renderer.public_url}/stop",
        replies=_replies_are_read(request),
    )
    return HTMLResponse(page)


@router.get("/stop", response_class=HTMLResponse)
async def stop_page(request: Request) -> HTMLResponse:
    """How to stop alerts or change how they come."""
    page = renderer_of(request).env.get_template("pages/stop.html").render(replies=_replies_are_read(request))
    return HTMLResponse(page)


def _replies_are_read(request: Request) -> bool:
    """Pages offer "reply" only when alerts carry a Reply-To someone reads."""
    return request.app.state.settings.smtp_reply_to is not None
