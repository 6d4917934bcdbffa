"""Feedback received (kind, channel, theme from fixed lists) and its response (was action taken?)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from shared.events.feedback import FeedbackKind

from ..accounts.access import Access, Refused
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..pages.formatting import label
from ..pages.query import financial_year
from ..pages.render import page
from .activity_log import catch_up, service_of_feedback
from .activity_view import NoSuchActivity
from .allowed import recorder, refusal, services_for
from .fields import Reading
from .form_page import done_page
from .sending import AGAIN, event_id_of, new_event_id, send

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
KINDS = [(kind.value, label(kind.value)) for kind in FeedbackKind]
CHANNELS = [(c, label(c)) for c in ("in_person", "phone_call", "letter", "email", "survey", "online_form", "meeting",
                                     "other")]
THEMES = [(t, label(t)) for t in ("repairs", "safety", "support", "staff", "activities", "food", "communication",
                                  "money", "environment", "other")]


async def _received_form(request: Request, access: Access, status_code: int = 200, **context: Any) -> HTMLResponse:
    _, services = await services_for(request, access)
    defaults: dict[str, Any] = {
        "title": "Record feedback", "errors": {}, "values": {}, "not_sent": None, "kinds": KINDS,
        "channels": CHANNELS, "themes": THEMES, "services": [(s.service_id, s.name) for s in services],
        "this_year": date.today().year,
    }
    return page(request, "recording/feedback_form.html", status_code, **{**defaults, **context})


@router.get("/feedback/new", response_class=HTMLResponse)
async def new_feedback(request: Request, access: Recorder) -> HTMLResponse:
    """The form to record a piece of feedback."""
    return await _received_form(request, access, event_id=new_event_id())


@router.post("/feedback/new", response_class=HTMLResponse)
async def record_feedback(request: Request, access: Recorder, form: Form) -> Response:
    """Send `feedback.received` once."""
    dims, _ = await services_for(request, access)
    event_id, r = event_id_of(form), Reading(form)
    data: dict[str, Any] = {"feedback_id": f"web-{event_id}"}
    on = r.day("received_on", "the feedback was received", date.today())
    data["service_id"] = r.choice("service_id", list(dims.services), "Choose the service the feedback is about")
    data["kind"] = r.choice("kind", [k for k, _ in KINDS], "Choose what kind of feedback it is")
    data["channel"] = r.choice("channel", [c for c, _ in CHANNELS], "Choose how it reached you")
    data["theme"] = r.choice("theme", [t for t, _ in THEMES], "Choose what it is about")
    refused = None if "service_id" in r.errors else refusal(access, dims, data["service_id"])
    if refused:
        r.errors = {"service_id": refused, **r.errors}
    if r.errors or on is None:
        return await _received_form(request, access, 403 if refused else 400, event_id=event_id, errors=r.errors,
                                    values=r.values)
    data["received_on"] = on.isoformat()
    try:
        sent = await send(request, "feedback.received", data, event_id)
    except NotRecorded as error:
        return await _received_form(request, access, 503, event_id=event_id, values=r.values,
                                    not_sent=f"{error}. {AGAIN}")
    return RedirectResponse(f"/feedback/{data['feedback_id']}/done?what=received&sent={sent}&on={on}", 303)


async def _respondable(request: Request, feedback_id: str, access: Access) -> str:
    """The feedback's service, once this account may record for it."""
    engine = request.app.state.engine
    await catch_up(engine, request.app.state.ingest)
    service_id = await service_of_feedback(engine, feedback_id)
    if service_id is None:
        raise NoSuchActivity(f"There is no feedback with the reference {feedback_id!r} in the record.")
    dims, _ = await services_for(request, access)
    if why := refusal(access, dims, service_id):
        raise Refused(why + ".")
    return service_id


def _respond_form(request: Request, feedback_id: str, event_id: str, status_code: int = 200,
                  reading: Reading | None = None, not_sent: str | None = None) -> HTMLResponse:
    return page(request, "recording/respond_form.html", status_code, title="Record the response to feedback",
                action=f"/feedback/{feedback_id}/respond", event_id=event_id, not_sent=not_sent,
                errors=reading.errors if reading else {}, values=reading.values if reading else {},
                reference=feedback_id, this_year=date.today().year)


@router.get("/feedback/{feedback_id}/respond", response_class=HTMLResponse)
async def respond_page(request: Request, feedback_id: str, access: Recorder) -> HTMLResponse:
    """Ask how the feedback was answered."""
    await _respondable(request, feedback_id, access)
    return _respond_form(request, feedback_id, new_event_id())


@router.post("/feedback/{feedback_id}/respond", response_class=HTMLResponse)
async def respond(request: Request, feedback_id: str, access: Recorder, form: Form) -> Response:
    """Send `feedback.responded` once."""
    await _respondable(request, feedback_id, access)
    event_id, r = event_id_of(form), Reading(form)
    on = r.day("responded_on", "you responded", date.today())
    action = r.choice("action_taken", ["yes", "no"], "Choose whether anything was done because of it")
    summary = r.text("summary", "summary of the response")
    if r.errors or on is None:
        return _respond_form(request, feedback_id, event_id, 400, r)
    data: dict[str, Any] = {"feedback_id": feedback_id, "responded_on": on.isoformat(), "action_taken": action == "yes"}
    if summary:
        data["summary"] = summary
    try:
        sent = await send(request, "feedback.responded", data, event_id)
    except NotRecorded as error:
        return _respond_form(request, feedback_id, event_id, 503, r, f"{error}. {AGAIN}")
    return RedirectResponse(f"/feedback/{feedback_id}/done?what=responded&sent={sent}&on={on}", 303)


@router.get("/feedback/{feedback_id}/done", response_class=HTMLResponse)
async def done(request: Request, feedback_id: str, access: Recorder, what: str = "received", sent: str = "accepted",
               on: str | None = None) -> HTMLResponse:
    """The confirmation, with the next step and the figure it counts in."""
    service_id = await _respondable(request, feedback_id, access)
    try:
        start, end = financial_year(date.fromisoformat(on or ""))
    except ValueError:
        start, end = financial_year(date.today())
    already = sent == "duplicate"
    respond = [(f"/feedback/{feedback_id}/respond", "Record the response to this feedback")]
    links = respond if what != "responded" else []
    links += [(f"/feedback?from={start}&to={end}&service_id={service_id}", "See the feedback figures it counts in"),
              ("/feedback/new", "Record more feedback")]
    title = "Response" if what == "responded" else "Feedback"
    return done_page(request, title, already, f"Reference {feedback_id}", links)
