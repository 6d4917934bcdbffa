"""Trends: the co-production rate and the ladder by month and by quarter, against the same period a year before."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..charts.svg import Bar, Chart
from .asked import Asked, AskedDep
from .formatting import count, label, percent
from .ladder_moves import moves_table
from .periods import bucket_name, bucket_range, buckets
from .query import Query
from .render import page
from .tables import Cell, Column, Table, number, rate, sorted_as_asked, words

router = APIRouter()
LEVELS = ("educating", "informing", "consulting", "engaging", "co_designing", "co_producing")
Rows = list[dict[str, Any]]
BY = {"month": "month", "quarter": "quarter"}


def _rates(rows: Rows, by: str) -> dict[str, dict[str, Any]]:
    return {row[by]: row["coproduction_rate"] for row in rows}


def _none() -> dict[str, Any]:
    return {"value": 0.0, "numerator": 0, "denominator": 0}


def _rate_figure(asked: Asked, by: str, now: Rows, before: Rows) -> tuple[Chart, Table]:
    keys, old_keys = buckets(asked.query, by), buckets(asked.query.year_before(), by)
    this, last = _rates(now, by), _rates(before, by)
    pairs = [(key, this.get(key) or _none(), last.get(old) or _none())
             for key, old in zip(keys, old_keys, strict=False)]
    chart = Chart(
        f"rate-by-{by}", f"Co-production rate by {by}", _rate_summary(asked, by, pairs),
        ("This period", "A year before"), [Bar(bucket_name(k, by), (a["value"], b["value"])) for k, a, b in pairs],
        percent,
    )
    columns = [Column(by, by.capitalize()), Column("rate", "Co-production rate", True),
               Column("before", "A year before", True), Column("change", "Change (points)", True)]
    rows = [[words(bucket_name(k, by)), rate(a, _behind(asked.query, k, by, "co_producing")),
             rate(b, _behind(asked.query.year_before(), old, by, "co_producing")), _change(a["value"] - b["value"])]
            for (k, a, b), old in zip(pairs, old_keys, strict=False)]
    return chart, Table(f"rate-{by}", f"Co-production rate by {by}, and a year before", columns, rows)


def _behind(query: Query, key: str, by: str, level: str | None = None) -> str:
    """The link to the activities behind a month's (or quarter's) number, narrowed to the period asked."""
    first, last = bucket_range(key, by)
    within = query.with_changes(start=max(first, query.start), end=min(last, query.end))
    return within.link("/activities", level=level)


def _change(points: float) -> Cell:
    return Cell(f"{points * 100:+.1f}", points)


def _rate_summary(asked: Asked, by: str, pairs: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> str:
    done = sum(a["numerator"] for _, a, _ in pairs)
    of = sum(a["denominator"] for _, a, _ in pairs)
    done_before, of_before = sum(b["numerator"] for *_, b in pairs), sum(b["denominator"] for *_, b in pairs)
    text = f"{count(done)} of {count(of)} activities were co-produced ({percent(done / of if of else 0)}), "
    text += (f"against {count(done_before)} of {count(of_before)} ({percent(done_before / of_before)}) a year before."
             if of_before else "and none were recorded a year before.")
    counted = [(k, a) for k, a, _ in pairs if a["denominator"]]
    if counted:
        best = max(counted, key=lambda pair: pair[1]["value"])
        text += f" The highest {by} was {bucket_name(best[0], by)} at {percent(best[1]['value'])}."
    return text


def _ladder_figure(asked: Asked, by: str, now: Rows, before: Rows) -> tuple[Chart, Table]:
    keys, old_keys = buckets(asked.query, by), buckets(asked.query.year_before(), by)
    this, last = {r["group"]: r for r in now}, {r["group"]: r for r in before}
    bars, rows = [], []
    for key, old in zip(keys, old_keys, strict=False):
        for when, found, q in ((key, this.get(key), asked.query), (old, last.get(old), asked.query.year_before())):
            levels = [int((found or {}).get(level, 0)) for level in LEVELS]
            bars.append(Bar(bucket_name(when, by), tuple(float(n) for n in levels)))
            rows.append([words(bucket_name(when, by)),
                         *(number(n, _behind(q, when, by, level) if n else None) for n, level in zip(levels, LEVELS,
                                                                                                   strict=True)),
                         number(sum(levels), _behind(q, when, by) if sum(levels) else None)])
    totals = {level: sum(int(r.get(level, 0)) for r in now) for level in LEVELS}
    top = max(totals, key=lambda level: totals[level]) if any(totals.values()) else None
    summary = (f"{count(sum(totals.values()))} activities in this period, most of them at {label(top).lower()} "
               f"({count(totals[top])}); {count(totals['co_producing'])} co-produced." if top else
               "No activities were recorded in this period.")
    chart = Chart(f"ladder-by-{by}", f"The ladder of co-production by {by}", summary,
                  tuple(label(level) for level in LEVELS), bars, lambda v: count(int(v)), stacked=True)
    columns = [Column(by, by.capitalize()), *(Column(level, label(level), True) for level in LEVELS),
               Column("total", "All activities", True)]
    return chart, Table(f"ladder-{by}", f"Activities at each level by {by}, and a year before", columns, rows)


@router.get("/trends", response_class=HTMLResponse)
async def trends(request: Request, asked: AskedDep) -> HTMLResponse:
    """The co-production rate and the ladder over time, against the same period a year before."""
    before = asked.query.year_before()
    asks = [asked.get("/v1/kpis/coproduction", q, group_by=by) for by in BY for q in (asked.query, before)]
    asks += [asked.get("/v1/kpis/ladder", q, group_by=by) for by in BY for q in (asked.query, before)]
    asks.append(asked.get("/v1/kpis/ladder/moves"))
    rm, rm_before, rq, rq_before, lm, lm_before, lq, lq_before, moves = (
        a["rows"] for a in await asyncio.gather(*asks))
    figures = [
        _rate_figure(asked, "month", rm, rm_before), _rate_figure(asked, "quarter", rq, rq_before),
        _ladder_figure(asked, "quarter", lq, lq_before), (None, moves_table(asked, moves)),
        _ladder_figure(asked, "month", lm, lm_before),
    ]
    return page(request, "pages/figures.html", title="Trends", path="/trends", asked=asked,
                figures=[(chart, sorted_as_asked(table, request)) for chart, table in figures])
