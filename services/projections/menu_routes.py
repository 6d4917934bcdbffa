"""`/v1/menu`: the Menu of Involvement, the opportunities open today with their public details. Needs `read`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from shared.events.base import Mode
from shared.events.opportunities import OpenTo
from shared.http import scoped
from shared.openapi import KEY_REFUSALS, problem_responses
from shared.problems import Problem

from .api_models import AsOf
from .routes import View, read_answer
from .views_menu import Menu, MenuEntry, MenuFilters, menu_entry, open_menu

router = APIRouter(
    prefix="/v1/menu", tags=["menu"], dependencies=[Depends(scoped("read"))],
    responses={**KEY_REFUSALS, **problem_responses(404, 422, 503)},
)
MODES = [mode.value for mode in Mode]
OPEN_TO = [who.value for who in OpenTo]


class MenuAnswer(Menu):
    as_of: AsOf


class EntryAnswer(MenuEntry):
    as_of: AsOf = Field(description="how up to date this is")


def _one_of(name: str, value: str | None, allowed: list[str]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise Problem(422, f"'{name}' must be one of {', '.join(allowed)}, not {value!r}",
                      errors=[{"field": name, "message": f"must be one of {', '.join(allowed)}"}])
    return value


@router.get("", response_model=MenuAnswer)
async def get_menu(
    request: Request,
    region: Annotated[str | None, Query(max_length=200, description="only opportunities in this region (national "
                                        "ones are in every region)")] = None,
    mode: Annotated[str | None, Query(json_schema_extra={"enum": MODES})] = None,
    topic: Annotated[str | None, Query(max_length=200, description="only opportunities about this topic")] = None,
    open_to: Annotated[str | None, Query(description="customers or colleagues: those they can take part in (open "
                                         "to them or to both); both: those open to both",
                                         json_schema_extra={"enum": OPEN_TO})] = None,
    service_id: Annotated[str | None, Query(max_length=200, description="a scheme's menu: its own opportunities, "
                                            "its region's and the national ones")] = None,
) -> Response:
    """The opportunities open today, soonest first, with when and where they are, the support offered, whether
    expenses are paid, places left and the closing date; `choices` lists the values the filters can take today
    (and the services open today, by name). A region, topic or service nobody has used gives an empty menu (but
    the national opportunities), not an error."""
    filters = MenuFilters(region or None, _one_of("mode", mode, MODES), topic or None,
                          _one_of("open_to", open_to, OPEN_TO), service_id or None)
    today = date.today()
    view: View = lambda conn, m: open_menu(conn, m, today, filters)  # noqa: E731
    menu, as_of = await read_answer(request, ("menu", today, filters), view)
    return JSONResponse({**menu.model_dump(mode="json"), "as_of": as_of})


@router.get("/{opportunity_id}", response_model=EntryAnswer)
async def get_entry(request: Request, opportunity_id: Annotated[str, Path(max_length=200)]) -> Response:
    """One opportunity published by today, open or closed, with its public details."""
    today = date.today()
    view: View = lambda conn, m: menu_entry(conn, m, today, opportunity_id)  # noqa: E731
    entry, as_of = await read_answer(request, ("menu entry", today, opportunity_id), view)
    if entry is None:
        raise Problem(404, f"There is no opportunity with the id {opportunity_id!r} on the Menu of Involvement.")
    return JSONResponse({**entry.model_dump(mode="json"), "as_of": as_of})
