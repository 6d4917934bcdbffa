"""The board pack in easy read, for the customer groups: the quarter's headlines in short sentences beside
pictures, against last quarter, in large type; the same figures as the board pack."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .asked import AskedDep
from .board_pack import quarters
from .formatting import count
from .render import page

router = APIRouter()


def _in_100(rate: dict[str, Any]) -> str:
    return count(round(rate["value"] * 100))


def sentences(now: dict[str, Any], before: dict[str, Any]) -> list[tuple[str, str]]:
    """(picture, sentence) for each headline."""
    e, c, f, t = now["engagement"], now["commitments"], now["feedback"], now["training"]["people_trained"]
    said = e["you_said_we_did"]
    return [
        ("group", f"We did {count(e['activities'])} things with customers this quarter."),
        ("about", f"Customers helped to run {_in_100(e['coproduction_rate'])} out of every 100 of them. "
                  f"Last quarter it was {_in_100(before['engagement']['coproduction_rate'])} out of 100."),
        ("tell", f"We told you what changed after {count(said['numerator'])} of {count(said['denominator'])} "
                 "of the times we asked you."),
        ("who", f"{count(c['coverage']['numerator'])} of our {count(c['coverage']['denominator'])} services have "
                "made a promise to involve you."),
        ("support", f"{count(t['customer'])} customers and {count(t['colleague'])} staff learned about "
                    "working together."),
        ("when", f"You told us {count(f['received'])} things. We answered {count(f['responded'])} of them."),
    ]


@router.get("/board-pack/easy-read", response_class=HTMLResponse)
async def easy_read_pack(request: Request, asked: AskedDep) -> HTMLResponse:
    """The quarter's pack in easy read."""
    periods = quarters(asked.query)
    this, last = periods[0][1], periods[1][1]
    now, before, done = await asyncio.gather(asked.get("/v1/kpis/summary", this), asked.get("/v1/kpis/summary", last),
                                             asked.get("/v1/kpis/activities", this))
    told = [r for r in done["rows"] if r["outcome"]][:5]
    return page(request, "pages/easy_read_pack.html", title="How we worked together this quarter", asked=asked,
                sentences=sentences(now, before), told=told, extra_css="/static/web/menu.css")
