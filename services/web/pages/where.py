"""Where: every figure by region and by service type (a summary for each), and by service (from the breakdowns)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .asked import Asked, AskedDep
from .formatting import day, label
from .query import Query
from .render import page
from .tables import Cell, Column, Table, number, rate, share, sorted_as_asked, totals_by, words

router = APIRouter()
ENGAGEMENT = [Column("activities", "Activities", True), Column("rate", "Co-production rate", True),
              Column("told", "You said, we did", True)]
SERVICES = [Column("services", "Services", True), Column("coverage", "Commitment coverage", True),
            Column("due", "Commitments due for review", True)]
FEEDBACK = [Column("received", "Feedback received", True), Column("answered", "Feedback answered", True)]
PEOPLE = [Column("trained", "People trained", True), Column("champions", "Champions", True),
          Column("open", "Open opportunities", True)]


def _answered(feedback: dict[str, int]) -> dict[str, Any]:
    return share(feedback["responded"], feedback["received"])


def _figures(found: dict[str, Any], people: bool, activities: str) -> list[Cell]:
    e, c, f = found["engagement"], found["commitments"], found["feedback"]
    cells = [number(e["activities"], activities), rate(e["coproduction_rate"]), rate(e["you_said_we_did"]),
             number(c["services"]), rate(c["coverage"]), number(c["due_for_review"]), number(f["received"]),
             rate(_answered(f))]
    if people:
        cells += [number(found["training"]["people_trained"]["total"]), number(found["champions"]["total"]),
                  number(found["opportunities"]["open"])]
    return cells


def _regions(asked: Asked) -> list[str]:
    q = asked.query
    if q.region:
        return [q.region]
    if q.service_id:
        return [r for r in [asked.dims.region_of(q.service_id)] if r]
    return [r for r in asked.dims.regions if asked.access.may_see_region(r)]


async def _each(asked: Asked, queries: list[Query]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*(asked.get("/v1/kpis/summary", q) for q in queries)))


async def _by_region(asked: Asked) -> Table:
    regions = _regions(asked)
    queries = [asked.query.with_changes(region=r) for r in regions]
    rows = [[words(label(r)), *_figures(found, True, q.link("/activities"))]
            for r, q, found in zip(regions, queries, await _each(asked, queries), strict=True)]
    return Table("where-region", "Every figure by region", [Column("region", "Region"), *ENGAGEMENT, *SERVICES,
                                                              *FEEDBACK, *PEOPLE], rows)


async def _by_type(asked: Asked) -> Table:
    kinds = [asked.query.service_type] if asked.query.service_type else asked.dims.service_types
    queries = [asked.query.with_changes(service_type=kind) for kind in kinds]
    rows = [[words(label(kind)), *_figures(found, False, q.link("/activities"))]
            for kind, q, found in zip(kinds, queries, await _each(asked, queries), strict=True)]
    return Table("where-type", "Every figure by service type (training, champions and opportunities are not kept by"
                 " service type)", [Column("type", "Service type"), *ENGAGEMENT, *SERVICES, *FEEDBACK], rows)


async def _by_service(asked: Asked) -> Table:
    coproduction, commitments, feedback = await asyncio.gather(
        asked.get("/v1/kpis/coproduction", group_by="service"), asked.get("/v1/kpis/commitments"),
        asked.get("/v1/kpis/feedback"))
    engaged = {row["service"]: row for row in coproduction["rows"]}
    heard = totals_by(feedback["rows"], "service_id", ("received", "responded"))
    rows = []
    for service in commitments["rows"]:
        sid = service["service_id"]
        e = engaged.get(sid) or {"activities": 0, "coproduction_rate": {"value": 0, "numerator": 0, "denominator": 0}}
        told = heard.get(sid) or {"received": 0, "responded": 0}
        due = service["review_due_on"]
        rows.append([
            words(service["name"] or sid), words(label(service["region"])), words(label(service["service_type"])),
            number(e["activities"], asked.query.link("/activities", service_id=sid)), rate(e["coproduction_rate"]),
            words("Held" if service["commitment_held"] else "None"),
            Cell(day_of(due), due or "9999") if due else Cell("", "9999"),
            number(told["received"]), rate(_answered(told)),
        ])
    columns = [Column("service", "Service"), Column("region", "Region"), Column("type", "Service type"),
               *ENGAGEMENT[:2], Column("commitment", "Commitment"), Column("review", "Review due"), *FEEDBACK]
    return Table("where-service", "Figures by service", columns, rows)


def day_of(iso: str) -> str:
    return day(date.fromisoformat(iso))


@router.get("/where", response_class=HTMLResponse)
async def where(request: Request, asked: AskedDep) -> HTMLResponse:
    """Every figure by region, service type and service."""
    if asked.access.role == "viewer":
        return page(request, "pages/figures.html", title="Where", path="/where", asked=asked, figures=[],
                    intro="Your account sees national figures only, so it has no figures by region or service.")
    tables = await asyncio.gather(_by_region(asked), _by_type(asked), _by_service(asked))
    return page(request, "pages/figures.html", title="Where", path="/where", asked=asked,
                figures=[(None, sorted_as_asked(table, request)) for table in tables],
                intro="Sort any table by choosing a column heading.")
