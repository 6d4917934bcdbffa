"""The Menu of Involvement for everyone: the open opportunities, each one's own page, easy read, large print and
a poster to print. No sign-in; nothing here names a person."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..clients.projections import FiguresRefused, FiguresUnavailable, Projections
from ..pages.choices import Choice
from ..pages.formatting import label
from ..pages.render import page
from .entries import MODES, WHO, how_to_take_part, lines
from .qr import qr_svg

router = APIRouter(prefix="/menu")
FILTERS = ("service_id", "region", "mode", "topic", "open_to")
VERSIONS = {"standard": "", "easy-read": "/easy-read", "large-print": "/large-print"}
CAN_TAKE_PART = {"customers": "Customers", "colleagues": "Colleagues (staff)"}


def _asked(request: Request) -> dict[str, str]:
    return {name: value for name in FILTERS if (value := request.query_params.get(name, "")[:200])}


def _choices(found: dict[str, Any], asked: dict[str, str]) -> list[Choice]:
    """Each filter's values among today's opportunities (and the one asked for, even if none has it now)."""

    def choice(name: str, key: str, text: str, everything: str, names: dict[str, str]) -> Choice:
        values = sorted({*found[key], *([asked[name]] if name in asked else [])})
        return Choice(name, text, everything, [(v, names.get(v) or label(v)) for v in values], asked.get(name))

    services = [(s["service_id"], s["name"] or s["service_id"]) for s in found["services"]]
    return [
        Choice("service_id", "Your scheme or service", "Any scheme or service", services, asked.get("service_id")),
        choice("region", "regions", "Region", "All regions", {}),
        choice("mode", "modes", "How it happens", "Any way", MODES),
        choice("topic", "topics", "Topic", "All topics", {}),
        Choice("open_to", "Who can take part", "Everyone", list(CAN_TAKE_PART.items()), asked.get("open_to")),
    ]


def _public_url(request: Request, path: str) -> str:
    base = request.app.state.settings.public_web_url or str(request.base_url)
    return base.rstrip("/") + path


def entry_path(entry: dict[str, Any], version: str = "standard") -> str:
    return f"/menu/opportunities/{quote(entry['opportunity_id'], safe='')}{VERSIONS[version]}"


def _shown(request: Request, entry: dict[str, Any], with_qr: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {"entry": entry, "lines": lines(entry), "how": how_to_take_part(entry),
             "href": entry_path(entry), "easy_href": entry_path(entry, "easy-read"),
             "large_href": entry_path(entry, "large-print")}
    if with_qr:
        shown["address"] = _public_url(request, entry_path(entry))
        shown["qr"] = qr_svg(shown["address"], f"QR code: the page of “{entry['title']}”")
    return shown


async def _ask(request: Request, path: str, params: dict[str, str]) -> dict[str, Any] | HTMLResponse:
    projections: Projections = request.app.state.projections
    try:
        return await projections.get(path, params)
    except FiguresRefused as refused:
        return _problem(request, 404 if path != "/v1/menu" else 400, "We cannot show that", str(refused))
    except FiguresUnavailable:
        return _problem(request, 503, "The Menu of Involvement is not available just now",
                        "Try again in a few minutes, or ask a member of staff.")


def _problem(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "menu/problem.html", status, title=title, message=message, version="standard",
                here="/menu", query="")


async def _menu(request: Request, version: str) -> HTMLResponse:
    asked = _asked(request)
    found = await _ask(request, "/v1/menu", asked)
    if isinstance(found, HTMLResponse):
        return found
    query = urlencode(asked)
    template = {"easy-read": "menu/easy_read.html", "poster": "menu/poster.html"}.get(version, "menu/menu.html")
    return page(request, template, title="Menu of Involvement", version=version, here="/menu", query=query,
                entries=[_shown(request, e, with_qr=version == "poster") for e in found["rows"]],
                choices=_choices(found["choices"], asked), asked=asked, who=WHO)


@router.get("", response_class=HTMLResponse)
async def menu(request: Request) -> HTMLResponse:
    """The opportunities open today, filtered by region, how it happens, topic and who can take part."""
    return await _menu(request, "standard")


@router.get("/easy-read", response_class=HTMLResponse)
async def menu_easy_read(request: Request) -> HTMLResponse:
    """The same menu in easy read: short sentences, a picture beside each, large type."""
    return await _menu(request, "easy-read")


@router.get("/large-print", response_class=HTMLResponse)
async def menu_large_print(request: Request) -> HTMLResponse:
    """The same menu in large print."""
    return await _menu(request, "large-print")


@router.get("/poster", response_class=HTMLResponse)
async def poster(request: Request) -> HTMLResponse:
    """A poster for a scheme's notice board (A4): each opportunity with a QR code for its own page."""
    return await _menu(request, "poster")


async def _opportunity(request: Request, opportunity_id: str, version: str) -> HTMLResponse:
    found = await _ask(request, f"/v1/menu/{quote(opportunity_id[:200], safe='')}", {})
    if isinstance(found, HTMLResponse):
        return found
    template = "menu/opportunity_easy_read.html" if version == "easy-read" else "menu/opportunity.html"
    return page(request, template, title=found["title"] or "An opportunity", version=version,
                here=entry_path(found), query="", shown=_shown(request, found), who=WHO)


@router.get("/opportunities/{opportunity_id}", response_class=HTMLResponse)
async def opportunity(request: Request, opportunity_id: str) -> HTMLResponse:
    """One opportunity: its details, and how to say you are interested (no account or password)."""
    return await _opportunity(request, opportunity_id, "standard")


@router.get("/opportunities/{opportunity_id}/easy-read", response_class=HTMLResponse)
async def opportunity_easy_read(request: Request, opportunity_id: str) -> HTMLResponse:
    """One opportunity in easy read."""
    return await _opportunity(request, opportunity_id, "easy-read")


@router.get("/opportunities/{opportunity_id}/large-print", response_class=HTMLResponse)
async def opportunity_large_print(request: Request, opportunity_id: str) -> HTMLResponse:
    """One opportunity in large print."""
    return await _opportunity(request, opportunity_id, "large-print")
