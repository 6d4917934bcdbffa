"""Record an activity: the form, what it sends, and the confirmation that links to the activity and its figure."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..pages.dimensions import Dimensions
from ..pages.formatting import label
from ..pages.query import financial_year
from ..pages.render import page
from .activity_form import ACTIVITY_TYPES, MODES, NATIONAL, TOPICS, read_activity
from .activity_view import shown_activity
from .allowed import recorder, refusal, services_for
from .form_page import done_page
from .ladder import DECIDED, DELIVERED, level_of
from .sending import AGAIN, event_id_of, new_event_id, send

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]


def activity_id_for(event_id: str) -> str:
    return f"web-{event_id}"


def _ladder() -> list[tuple[str, str]]:
    found = [(text, label(level_of(key, "colleagues").value)) for key, text in DECIDED]
    found[-1] = (found[-1][0] + ", and customers delivered it with colleagues", label("co_producing"))
    found.insert(-1, (DECIDED[-1][1] + ", but colleagues delivered it", label("co_designing")))
    return found


async def activity_form(request: Request, access: Access, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The activity form, offering the services this account records for."""
    _, services = await services_for(request, access)
    options = [(s.service_id, s.name) for s in services]
    if access.role == "officer":
        options.insert(0, (NATIONAL, "No one service: a national activity"))
    defaults: dict[str, Any] = {
        "title": "Record an activity", "action": "/activities/new", "submit": "Record the activity",
        "errors": {}, "values": {}, "not_sent": None, "services": options, "activity_types": ACTIVITY_TYPES,
        "modes": MODES, "topics": [(t, t.capitalize()) for t in TOPICS], "decided": DECIDED, "delivered": DELIVERED,
        "ladder": _ladder(), "this_year": date.today().year,
    }
    return page(request, "recording/activity_form.html", status_code, **{**defaults, **context})


@router.get("/activities/new", response_class=HTMLResponse)
async def new_activity(request: Request, access: Recorder) -> HTMLResponse:
    """The form to record an activity."""
    return await activity_form(request, access, event_id=new_event_id())


@router.post("/activities/new", response_class=HTMLResponse)
async def record_activity(request: Request, access: Recorder, form: Form) -> Response:
    """Check the form; send `engagement.recorded` once."""
    dims, _ = await services_for(request, access)
    event_id = event_id_of(form)
    data, reading = read_activity(form, list(dims.services), date.today())
    refused = None if "service_id" in reading.errors else refusal(access, dims, data.get("service_id"))
    if refused:
        reading.errors = {"service_id": refused, **reading.errors}
    if reading.errors:
        status = 403 if refused else 400
        return await activity_form(request, access, status, event_id=event_id, errors=reading.errors,
                                   values=reading.values)
    data["activity_id"] = activity_id_for(event_id)
    try:
        sent = await send(request, "engagement.recorded", data, event_id)
    except NotRecorded as error:
        return await activity_form(request, access, 503, event_id=event_id, values=reading.values,
                                   not_sent=f"{error}. {AGAIN}")
    already = "?already=1" if sent == "duplicate" else ""
    return RedirectResponse(f"/activities/{data['activity_id']}/recorded{already}", status_code=303)


@router.get("/activities/{activity_id}/recorded", response_class=HTMLResponse)
async def recorded(request: Request, activity_id: str, access: Recorder, already: str | None = None) -> HTMLResponse:
    """The confirmation: links to the activity and to the figure it counts in."""
    activity, dims = await shown_activity(request, activity_id, access)
    on = date.fromisoformat(activity.fields["occurred_on"])
    where = dims.name_of(activity.service_id) if activity.service_id else "national level"
    figure = figure_link(dims, activity.service_id, on)
    links = [(f"/activities/{activity_id}", "See the activity and its history"),
             (figure["figure_link"], figure["figure_text"]), ("/activities/new", "Record another activity")]
    return done_page(request, "Activity", bool(already), f"{label(activity.fields.get('level'))}, at {where}", links)


def figure_link(dims: Dimensions, service_id: str | None, on: date) -> dict[str, str]:
    start, end = financial_year(on)
    where = f"&service_id={service_id}" if service_id else ""
    name = dims.name_of(service_id) if service_id else "every service"
    return {"figure_link": f"/?from={start}&to={end}{where}",
            "figure_text": f"See the co-production rate of {name}, {start.year} to {end.year}"}
