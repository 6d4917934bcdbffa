"""Activities: the register behind every engagement number, narrowed as the number was (and by level)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .asked import AskedDep
from .formatting import count, day, label
from .query import BadQuery
from .render import page
from .tables import Cell, Column, Table, number, sorted_as_asked, words

router = APIRouter()
LEVELS = ("educating", "informing", "consulting", "engaging", "co_designing", "co_producing")


@router.get("/activities", response_class=HTMLResponse)
async def activities(request: Request, asked: AskedDep, level: str | None = None) -> HTMLResponse:
    """Each activity counted: date, service, type, level, mode, participants, summary and outcome."""
    if level and level not in LEVELS:
        raise BadQuery(f"There is no level called {level!r}. Choose one of {', '.join(map(label, LEVELS))}.")
    found = await asked.get("/v1/kpis/activities", asked.query, **({"level": level} if level else {}))
    rows = found["rows"]
    columns = [Column("date", "Date"), Column("service", "Service"), Column("type", "Type"),
               Column("level", "Level"), Column("mode", "Mode"), Column("people", "Customers taking part", True),
               Column("summary", "Summary"), Column("outcome", "You said, we did")]
    cells = [[
        Cell(day(date.fromisoformat(r["occurred_on"])) if r["occurred_on"] else "No date", r["occurred_on"] or "",
             f"/activities/{quote(r['activity_id'], safe='')}"),
        words(asked.dims.name_of(r["service_id"]) if r["service_id"] else "National"),
        words(label(r["activity_type"])), Cell(label(r["level"]), LEVELS.index(r["level"]) if r["level"] in LEVELS
                                               else -1),
        words(label(r["mode"])), number(r["customers"]), words(r["summary"] or ""), words(r["outcome"] or ""),
    ] for r in rows]
    at = f" at {label(level).lower()}" if level else ""
    table = Table("activities", f"{count(len(rows))} activities{at}, newest first", columns, cells)
    return page(request, "pages/figures.html", title="Activities", path="/activities", asked=asked,
                figures=[(None, sorted_as_asked(table, request))], keep={"level": level} if level else {},
                intro="The activities behind the figures, for the period and filters chosen." + (
                    " Only the newest 1,000 are listed." if len(rows) >= 1000 else ""))
