""""You said, we did": what changed because of an activity, and the day customers were told."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..pages.render import page
from .activity_view import shown_activity
from .allowed import recorder
from .fields import Reading
from .sending import AGAIN, event_id_of, new_event_id, send

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]


def _form(request: Request, activity_id: str, event_id: str, status_code: int = 200,
          reading: Reading | None = None, not_sent: str | None = None) -> HTMLResponse:
    return page(request, "recording/outcome.html", status_code, title="You said, we did",
                action=f"/activities/{activity_id}/outcome", event_id=event_id, not_sent=not_sent,
                errors=reading.errors if reading else {}, values=reading.values if reading else {},
                back=f"/activities/{activity_id}", this_year=date.today().year)


@router.get("/activities/{activity_id}/outcome", response_class=HTMLResponse)
async def outcome_page(request: Request, activity_id: str, access: Recorder) -> HTMLResponse:
    """Ask what changed and when customers were told."""
    await shown_activity(request, activity_id, access)
    return _form(request, activity_id, new_event_id())


@router.post("/activities/{activity_id}/outcome", response_class=HTMLResponse)
async def record_outcome(request: Request, activity_id: str, access: Recorder, form: Form) -> Response:
    """Send `engagement.outcome_recorded`."""
    await shown_activity(request, activity_id, access)
    event_id, reading = event_id_of(form), Reading(form)
    outcome = reading.text("outcome", "outcome", required="Enter what changed because of what customers said")
    told = reading.day("communicated_on", "customers were told", date.today())
    if reading.errors or outcome is None or told is None:
        return _form(request, activity_id, event_id, 400, reading)
    data = {"activity_id": activity_id, "outcome": outcome, "communicated_on": told.isoformat()}
    try:
        await send(request, "engagement.outcome_recorded", data, event_id)
    except NotRecorded as error:
        return _form(request, activity_id, event_id, 503, reading, f"{error}. {AGAIN}")
    return RedirectResponse(f"/activities/{activity_id}?done=outcome", status_code=303)
