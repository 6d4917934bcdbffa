"""Home: the story's figures as tiles, with how up to date they are."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .as_of import as_of
from .asked import AskedDep
from .render import page
from .tiles import tiles

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, asked: AskedDep) -> HTMLResponse:
    """The figures at a glance."""
    summary = await asked.get("/v1/kpis/summary")
    targets = request.app.state.settings.targets
    return page(
        request, "pages/home.html", title="Co-production at a glance", query=asked.query, choices=asked.choices,
        scope_text=asked.scope_text, as_of=as_of(summary["as_of"]), tiles=tiles(summary, targets),
    )
