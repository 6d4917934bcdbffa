"""Opportunities: each one published in the period, the alerts it sent and its sign-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..charts.svg import Bar, Chart
from .asked import AskedDep
from .formatting import count, day, label
from .render import page
from .tables import Cell, Column, Table, number, sorted_as_asked, words

router = APIRouter()
PUBLIC = Markup('Customers and colleagues see the opportunities open today, with no sign-in, on the '
                '<a class="govuk-link" href="/menu">Menu of Involvement</a> (in easy read and large print too), '
                'and a <a class="govuk-link" href="/menu/poster">poster to print</a> for a notice board.')


def _date(iso: str | None) -> Cell:
    return Cell(day(date.fromisoformat(iso)), iso) if iso else Cell("Not given", "9999-12-31")


@router.get("/opportunities", response_class=HTMLResponse)
async def opportunities(request: Request, asked: AskedDep) -> HTMLResponse:
    """Involvement opportunities on the Menu of Involvement, and who signed up."""
    found = await asked.get("/v1/kpis/opportunities")
    rows = found["rows"]
    open_now = sum(r["status"] == "open" for r in rows)
    sign_ups, alerts = sum(r["sign_ups"] for r in rows), sum(r["alerts_sent"] for r in rows)
    summary = (f"{count(len(rows))} opportunities were published in this period, {count(open_now)} of them open on "
               f"{day(date.fromisoformat(found['as_at']))}; {count(alerts)} alerts went to champions and "
               f"{count(sign_ups)} people signed up.")
    chart = Chart("sign-ups", "Sign-ups to each opportunity", summary, ("Sign-ups",),
                  [Bar(r["title"] or r["opportunity_id"], (float(r["sign_ups"]),)) for r in rows],
                  lambda v: count(int(v)))
    table = Table("opportunities", "Opportunities published in this period", [
        Column("title", "Opportunity"), Column("scope", "Open to"), Column("published", "Published"),
        Column("closes", "Closes"), Column("status", "Status"), Column("alerts", "Alerts sent", True),
        Column("sign_ups", "Sign-ups", True)],
        [[words(r["title"] or r["opportunity_id"]), words(_scope(r, asked.dims.name_of)),
          _date(r["published_on"]), _date(r["closes_on"]), words(r["status"].capitalize()),
          number(r["alerts_sent"]), number(r["sign_ups"])] for r in rows])
    group = customer_group(await asked.get("/v1/kpis/customer-group"))
    return page(request, "pages/figures.html", title="Opportunities", path="/opportunities", asked=asked,
                intro=PUBLIC,
                figures=[(chart, sorted_as_asked(table, request)), (None, sorted_as_asked(group, request))])


def customer_group(found: dict[str, Any]) -> Table:
    """The national C&S Customer Group: how accessible the national opportunities were and who took them up.
    National, so no filter narrows it."""
    national, taken, members = found["national_opportunities"], found["sign_ups"], found["members"]
    rows = [
        ("National opportunities published", national["published"]),
        ("National opportunities that were Customer Group meetings", national["group_meetings"]),
        ("National opportunities offering accessibility support", national["support_offered"]),
        ("National opportunities to join online (virtual or hybrid)", national["virtual_or_hybrid"]),
        ("National opportunities paying expenses", national["expenses_paid"]),
        ("National opportunities with all three", national["all_three"]),
        ("Sign-ups to national opportunities", taken["total"]),
        ("Sign-ups by customers", taken["customers"]),
        ("Sign-ups by colleagues", taken["colleagues"]),
        ("Sign-ups by members of the Customer Group", taken["group_members"]),
        ("Sign-ups by others", taken["not_group_members"]),
        ("Members of the Customer Group", members["total"]),
    ]
    return Table("customer-group", "National C&S Customer Group (national figures: no filter narrows them)",
                 [Column("figure", "Figure"), Column("value", "Number", True)],
                 [[words(text), number(value)] for text, value in rows])


def _scope(row: dict[str, Any], name_of: Callable[[str], str]) -> str:
    if row["scope"] == "service" and row["service_id"]:
        return name_of(row["service_id"])
    if row["scope"] == "regional":
        return f"{label(row['region'])} region"
    return "Everyone"
