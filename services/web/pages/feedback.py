"""Feedback: received, answered and acted on, by kind, by theme and by service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..charts.svg import Bar, Chart
from .asked import AskedDep
from .formatting import count, label, percent
from .render import page
from .tables import Column, Table, number, rate, share, sorted_as_asked, totals_by, words

router = APIRouter()
FIELDS = ("received", "responded", "actioned")
KINDS = ("compliment", "comment", "suggestion", "complaint")


def _table(table_id: str, caption: str, heading: str, totals: dict[Any, dict[str, int]],
           name: Any = None) -> Table:
    columns = [Column("group", heading), Column("received", "Received", True),
               Column("answered", "Answered", True), Column("actioned", "Acted on", True)]
    rows = [[words((name or label)(key)), number(t["received"]), rate(share(t["responded"], t["received"])),
             rate(share(t["actioned"], t["responded"]))] for key, t in totals.items()]
    return Table(table_id, caption, columns, rows)


@router.get("/feedback", response_class=HTMLResponse)
async def feedback(request: Request, asked: AskedDep) -> HTMLResponse:
    """Compliments, comments, suggestions and complaints, and how they were answered."""
    rows = (await asked.get("/v1/kpis/feedback"))["rows"]
    by_kind = totals_by(rows, "kind", FIELDS)
    by_kind = {kind: by_kind.get(kind) or dict.fromkeys(FIELDS, 0) for kind in (*KINDS, *by_kind) if kind}
    received = sum(t["received"] for t in by_kind.values())
    responded = sum(t["responded"] for t in by_kind.values())
    summary = (f"{count(received)} pieces of feedback were received; {count(responded)} were answered "
               f"({percent(share(responded, received)['value'])}).")
    chart = Chart("feedback-by-kind", "Feedback by kind", summary, ("Received", "Answered", "Acted on"),
                  [Bar(label(kind), tuple(float(t[f]) for f in FIELDS)) for kind, t in by_kind.items()],
                  lambda v: count(int(v)))
    names = {r["service_id"]: r["service_name"] or r["service_id"] for r in rows}
    figures = [
        (chart, _table("kinds", "Feedback by kind", "Kind", by_kind)),
        (None, _table("themes", "Feedback by theme", "Theme", totals_by(rows, "theme", FIELDS))),
        (None, _table("services", "Feedback by service", "Service", totals_by(rows, "service_id", FIELDS),
                      lambda sid: names.get(sid) or "No service")),
    ]
    if asked.access.role == "viewer":
        figures = figures[:2]
    return page(request, "pages/figures.html", title="Feedback", path="/feedback", asked=asked,
                figures=[(c, sorted_as_asked(t, request)) for c, t in figures])
