"""Commitments: services without one first, then those due for review now and in the next 60 days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..charts.svg import Bar, Chart
from .asked import AskedDep
from .formatting import count, day, label, percent
from .render import page
from .tables import Cell, Column, Table, rate, share, sorted_as_asked, words

router = APIRouter()
SOON = timedelta(days=60)


def _date(iso: str | None) -> Cell:
    return Cell(day(date.fromisoformat(iso)), iso) if iso else Cell("Not given", "9999-12-31")


def _service(row: dict[str, Any]) -> list[Cell]:
    return [words(row["name"] or row["service_id"]), words(label(row["region"])), words(label(row["service_type"]))]


def _list(table_id: str, caption: str, rows: list[dict[str, Any]], dated: bool) -> Table:
    columns = [Column("service", "Service"), Column("region", "Region"), Column("type", "Service type")]
    if dated:
        columns += [Column("due", "Review due"), Column("since", "Held since")]
    cells = [[*_service(r), *([_date(r["review_due_on"]), _date(r["held_since"])] if dated else [])] for r in rows]
    return Table(table_id, caption, columns, cells)


def _coverage(rows: list[dict[str, Any]], as_at: date) -> tuple[Chart, Table]:
    regions: dict[str, list[int]] = {}
    for row in rows:
        held = regions.setdefault(row["region"] or "", [0, 0])
        held[0], held[1] = held[0] + int(row["commitment_held"]), held[1] + 1
    rates = {region: share(held, of) for region, (held, of) in sorted(regions.items())}
    total = share(sum(h for h, _ in regions.values()), len(rows))
    summary = (f"On {day(as_at)}, {count(total['numerator'])} of {count(total['denominator'])} services held a "
               f"commitment ({percent(total['value'])}).")
    if rates:
        lowest = min(rates, key=lambda region: rates[region]["value"])
        summary += f" Coverage was lowest in {label(lowest or None)} ({percent(rates[lowest]['value'])})."
    chart = Chart("coverage-by-region", "Commitment coverage by region", summary, ("Coverage",),
                  [Bar(label(r or None), (found["value"],)) for r, found in rates.items()], percent, maximum=1)
    table = Table("coverage", "Commitment coverage by region", [Column("region", "Region"),
                  Column("coverage", "Services holding a commitment", True)],
                  [[words(label(r or None)), rate(found)] for r, found in rates.items()])
    return chart, table


@router.get("/commitments", response_class=HTMLResponse)
async def commitments(request: Request, asked: AskedDep) -> HTMLResponse:
    """Service Involvement Commitments: who has none, and whose review is due."""
    found = await asked.get("/v1/kpis/commitments")
    rows, as_at = found["rows"], date.fromisoformat(found["as_at"])
    soon = [r for r in rows if r["review_due_on"] and as_at <= date.fromisoformat(r["review_due_on"]) <= as_at + SOON]
    tables = [
        _list("without", f"Services without a commitment on {day(as_at)}", [r for r in rows
              if not r["commitment_held"]], False),
        _list("due-now", f"Commitments due for review on {day(as_at)}", [r for r in rows if r["review_due"]], True),
        _list("due-soon", f"Commitments due for review in the 60 days after {day(as_at)}", soon, True),
    ]
    chart, coverage = _coverage(rows, as_at)
    figures = [*((None, table) for table in tables), (chart, coverage)]
    return page(request, "pages/figures.html", title="Commitments", path="/commitments", asked=asked,
                figures=[(c, sorted_as_asked(t, request)) for c, t in figures])
