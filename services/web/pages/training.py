"""Training: people trained by month and role, sessions by mode, and the period's totals counted once each."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..charts.svg import Bar, Chart
from .asked import AskedDep
from .formatting import count, label
from .periods import bucket_name, buckets
from .render import page
from .tables import Column, Table, number, sorted_as_asked, words

router = APIRouter()
ROLES = ("customer", "colleague")


@router.get("/training", response_class=HTMLResponse)
async def training(request: Request, asked: AskedDep) -> HTMLResponse:
    """Co-production training: sessions and people trained."""
    found, modules = await asyncio.gather(asked.get("/v1/kpis/training"), asked.get("/v1/kpis/training/modules"))
    totals, rows = found["totals"], found["rows"]
    months = buckets(asked.query, "month")
    trained = {(r["month"], r["role"]): 0 for r in rows}
    for r in rows:
        trained[(r["month"], r["role"])] += r["people_trained"]
    people = totals["people_trained"]
    summary = (f"{count(totals['sessions'])} sessions trained {count(people['total'])} people in this period: "
               f"{count(people['customer'])} customers and {count(people['colleague'])} colleagues, each counted "
               "once. By month, a person trained in two months counts in each.")
    chart = Chart("trained-by-month", "People trained by month", summary, ("Customers", "Colleagues"),
                  [Bar(bucket_name(m, "month"), tuple(float(trained.get((m, role), 0)) for role in ROLES))
                   for m in months], lambda v: count(int(v)))
    by_month = Table("trained", "People trained by month and role", [
        Column("month", "Month"), Column("customers", "Customers", True), Column("colleagues", "Colleagues", True)],
        [[words(bucket_name(m, "month")), *(number(trained.get((m, role), 0)) for role in ROLES)] for m in months])
    detail = Table("sessions", "Sessions by month, mode and role (these rows cannot be added up)", [
        Column("month", "Month"), Column("mode", "Mode"), Column("role", "Role"), Column("sessions", "Sessions", True),
        Column("people", "People trained", True)],
        [[words(bucket_name(r["month"], "month")), words(label(r["mode"])), words(label(r["role"])),
          number(r["sessions"]), number(r["people_trained"])] for r in rows])
    figures = [(chart, by_month), _by_module(modules["rows"]), (None, detail)]
    return page(request, "pages/figures.html", title="Training", path="/training", asked=asked,
                intro=_narrowing(found), figures=[(c, sorted_as_asked(t, request)) for c, t in figures])


def _by_module(rows: list[dict[str, Any]]) -> tuple[Chart, Table]:
    most = max(rows, key=lambda r: r["people"], default=None)
    summary = (f"{count(len(rows))} modules were taught; {most['module']} trained the most people "
               f"({count(most['people'])})." if most else "No training sessions were held in this period.")
    chart = Chart("trained-by-module", "People trained by module", summary, ("Customers", "Colleagues"),
                  [Bar(r["module"], (float(r["customers"]), float(r["colleagues"]))) for r in rows],
                  lambda v: count(int(v)))
    table = Table("modules", "Training by module (each person once a module)", [
        Column("module", "Module"), Column("sessions", "Sessions", True), Column("customers", "Customers", True),
        Column("colleagues", "Colleagues", True), Column("people", "People trained", True)],
        [[words(r["module"]), number(r["sessions"]), number(r["customers"]), number(r["colleagues"]),
          number(r["people"])] for r in rows])
    return chart, table


def _narrowing(found: dict[str, Any]) -> str | None:
    unused: list[str] = found.get("filters_not_applied") or []
    if not unused:
        return None
    names = ", ".join(name.replace("_", " ") for name in unused)
    return f"Training is not kept by {names}, so these figures are not narrowed by it."
