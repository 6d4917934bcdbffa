"""Amend or withdraw (with a reason) an activity, from its page; each form sends one event, once."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..pages.render import page
from .activity import Activity
from .activity_form import NATIONAL, read_activity
from .activity_pages import activity_form
from .activity_view import shown_activity
from .allowed import recorder, refusal
from .fields import Reading
from .ladder import answers_for
from .sending import AGAIN, event_id_of, new_event_id, send

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]


def values_of(activity: Activity) -> dict[str, Any]:
    """The activity's fields as the form shows them."""
    fields = activity.fields
    values: dict[str, Any] = {name: str(value) for name, value in fields.items() if not isinstance(value, list)}
    values["service_id"] = fields.get("service_id") or NATIONAL
    values["topics"] = list(fields.get("topics") or [])
    if on := fields.get("occurred_on"):
        day = date.fromisoformat(on)
        values.update({"occurred_on-day": str(day.day), "occurred_on-month": str(day.month),
                       "occurred_on-year": str(day.year)})
    if level := fields.get("level"):
        values["decided"], values["delivered"] = answers_for(level)
    return values


@router.get("/activities/{activity_id}/amend", response_class=HTMLResponse)
async def amend_page(request: Request, activity_id: str, access: Recorder) -> HTMLResponse:
    """The activity's form, filled in as it stands."""
    activity, _ = await shown_activity(request, activity_id, access)
    return await activity_form(request, access, event_id=new_event_id(), values=values_of(activity),
                               **_amending(activity_id))


def _amending(activity_id: str) -> dict[str, Any]:
    return {"title": "Change this activity", "action": f"/activities/{activity_id}/amend", "submit": "Save the changes"}


@router.post("/activities/{activity_id}/amend", response_class=HTMLResponse)
async def amend(request: Request, activity_id: str, access: Recorder, form: Form) -> Response:
    """Send `engagement.amended` with the fields that changed."""
    activity, dims = await shown_activity(request, activity_id, access)
    event_id = event_id_of(form)
    data, reading = read_activity(form, list(dims.services), date.today())
    refused = None if "service_id" in reading.errors else refusal(access, dims, data.get("service_id"))
    if refused:
        reading.errors = {"service_id": refused, **reading.errors}
    changed = {name: value for name, value in data.items() if activity.fields.get(name) != value}
    if not reading.errors and not changed:
        reading.errors["summary"] = "Nothing has changed: change a field, or go back to the activity"
    if reading.errors:
        return await activity_form(request, access, 403 if refused else 400, event_id=event_id, errors=reading.errors,
                                   values=reading.values, **_amending(activity_id))
    try:
        await send(request, "engagement.amended", {"activity_id": activity_id, **changed}, event_id)
    except NotRecorded as error:
        return await activity_form(request, access, 503, event_id=event_id, values=reading.values,
                                   not_sent=f"{error}. {AGAIN}", **_amending(activity_id))
    return RedirectResponse(f"/activities/{activity_id}?done=amended", status_code=303)


def _withdraw_form(request: Request, activity_id: str, event_id: str, status_code: int = 200,
                   reading: Reading | None = None, not_sent: str | None = None) -> HTMLResponse:
    return page(request, "recording/withdraw.html", status_code, title="Withdraw this activity",
                action=f"/activities/{activity_id}/withdraw", event_id=event_id, not_sent=not_sent,
                errors=reading.errors if reading else {}, values=reading.values if reading else {},
                back=f"/activities/{activity_id}")


@router.get("/activities/{activity_id}/withdraw", response_class=HTMLResponse)
async def withdraw_page(request: Request, activity_id: str, access: Recorder) -> HTMLResponse:
    """Ask why the activity is withdrawn."""
    await shown_activity(request, activity_id, access)
    return _withdraw_form(request, activity_id, new_event_id())


@router.post("/activities/{activity_id}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, activity_id: str, access: Recorder, form: Form) -> Response:
    """Send `engagement.withdrawn` with its reason: the activity stops counting in the figures."""
    await shown_activity(request, activity_id, access)
    event_id, reading = event_id_of(form), Reading(form)
    reason = reading.text("reason", "reason", required="Enter why the activity is withdrawn")
    if reading.errors or reason is None:
        return _withdraw_form(request, activity_id, event_id, 400, reading)
    try:
        await send(request, "engagement.withdrawn", {"activity_id": activity_id, "reason": reason}, event_id)
    except NotRecorded as error:
        return _withdraw_form(request, activity_id, event_id, 503, reading, f"{error}. {AGAIN}")
    return RedirectResponse(f"/activities/{activity_id}?done=withdrawn", status_code=303)
