"""The board pack: the quarter's headlines against last quarter, the same quarter last year and the targets, the
regions, commitments due and "you said, we did", as a printable page and as a workbook with a sheet per table."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .asked import Asked, AskedDep
from .formatting import day, label, percent
from .periods import bucket_range, quarter_key
from .query import Query
from .render import page
from .tables import Cell, Column, Table, number, rate, share, words
from .workbook import workbook

router = APIRouter()
SOON = timedelta(days=60)


def _quarter_of(on: date) -> tuple[date, date]:
    return bucket_range(quarter_key(on.year, on.month), "quarter")


def quarters(query: Query) -> list[tuple[str, Query]]:
    """The quarter holding the period's last day (or today, if sooner), the one before, and a year before."""
    start, end = _quarter_of(min(query.end, date.today()))
    before = _quarter_of(start - timedelta(days=1))
    this = query.with_changes(start=start, end=end)
    return [("This quarter", this), ("Last quarter", query.with_changes(start=before[0], end=before[1])),
            ("A year before", this.year_before())]


def _headlines(found: list[dict[str, Any]], targets: dict[str, float]) -> Table:
    def figures(s: dict[str, Any]) -> dict[str, Cell]:
        e, f = s["engagement"], s["feedback"]
        return {"activities": number(e["activities"]), "coproduction_rate": rate(e["coproduction_rate"]),
                "commitment_coverage": rate(s["commitments"]["coverage"]),
                "you_said_we_did": rate(e["you_said_we_did"]),
                "feedback_answered": rate(share(f["responded"], f["received"])),
                "people_trained": number(s["training"]["people_trained"]["total"])}
    names = {"activities": "Activities", "coproduction_rate": "Co-production rate",
             "commitment_coverage": "Commitment coverage", "you_said_we_did": "You said, we did",
             "feedback_answered": "Feedback answered", "people_trained": "People trained"}
    each = [figures(s) for s in found]
    rows = [[words(title), *(f[key] for f in each),
             Cell(percent(targets[key]), targets[key]) if key in targets else Cell("", "")]
            for key, title in names.items()]
    columns = [Column("figure", "Figure"), *(Column(n, n, True) for n in ("This quarter", "Last quarter",
                                                                          "A year before")),
               Column("target", "Target", True)]
    return Table("headlines", "Headlines", columns, rows, sortable=False)


async def _regions(asked: Asked, query: Query) -> Table:
    regions = [r for r in asked.dims.regions if asked.access.may_see_region(r)]
    if query.region:
        regions = [query.region]
    found = await asyncio.gather(*(asked.get("/v1/kpis/summary", query.with_changes(region=r)) for r in regions))
    rows = [[words(label(r)), number(s["engagement"]["activities"]), rate(s["engagement"]["coproduction_rate"]),
             rate(s["commitments"]["coverage"]), number(s["commitments"]["due_for_review"])]
            for r, s in zip(regions, found, strict=True)]
    return Table("regions", "Regions", [Column("region", "Region"), Column("activities", "Activities", True),
                 Column("rate", "Co-production rate", True), Column("coverage", "Commitment coverage", True),
                 Column("due", "Commitments due for review", True)], rows, sortable=False)


def _due(found: dict[str, Any]) -> Table:
    as_at = date.fromisoformat(found["as_at"])
    due = [r for r in found["rows"] if r["review_due_on"] and date.fromisoformat(r["review_due_on"]) <= as_at + SOON]
    rows = [[words(r["name"] or r["service_id"]), words(label(r["region"])),
             Cell(day(date.fromisoformat(r["review_due_on"])), r["review_due_on"]),
             words("Overdue" if r["review_due"] else "Within 60 days")] for r in due]
    return Table("due", f"Commitments due for review by {day(as_at + SOON)}", [Column("service", "Service"),
                 Column("region", "Region"), Column("due", "Review due"), Column("when", "When")], rows,
                 sortable=False)


def _told(asked: Asked, found: dict[str, Any]) -> Table:
    told = [r for r in found["rows"] if r["outcome"]][:10]
    rows = [[words(asked.dims.name_of(r["service_id"]) if r["service_id"] else "National"),
             words(r["summary"] or ""), words(r["outcome"])] for r in told]
    return Table("told", "You said, we did", [Column("service", "Service"), Column("said", "You said"),
                 Column("did", "We did")], rows, sortable=False)


async def _pack(request: Request, asked: Asked) -> tuple[str, list[Table]]:
    periods = quarters(asked.query)
    this = periods[0][1]
    summaries = await asyncio.gather(*(asked.get("/v1/kpis/summary", q) for _, q in periods))
    regions, due, done = await asyncio.gather(
        _regions(asked, this), asked.get("/v1/kpis/commitments", this), asked.get("/v1/kpis/activities", this))
    title = f"Board pack, {quarter_key(this.start.year, this.start.month)} ({day(this.start)} to {day(this.end)})"
    tables = [_headlines(list(summaries), request.app.state.settings.targets), _due(due), _told(asked, done)]
    if asked.access.role != "viewer":
        tables.insert(1, regions)
    return title, tables


@router.get("/board-pack", response_class=HTMLResponse)
async def board_pack(request: Request, asked: AskedDep) -> HTMLResponse:
    """The quarter's pack, to print."""
    title, tables = await _pack(request, asked)
    return page(request, "pages/board_pack.html", title=title, asked=asked, tables=tables,
                workbook=asked.query.link("/board-pack.xlsx"))


@router.get("/board-pack.xlsx")
async def board_pack_workbook(request: Request, asked: AskedDep) -> Response:
    """The same pack as an Excel workbook, one sheet per table."""
    title, tables = await _pack(request, asked)
    name = title.split(" (")[0].replace(",", "").replace(" ", "-").lower()
    return Response(workbook(title, tables), headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
