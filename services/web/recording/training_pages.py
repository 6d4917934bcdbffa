"""A training session (date, module, mode, region) and its attendance register, sent together, once."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shared.personal_data import looks_like_a_name

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded, cloud_event
from ..pages.formatting import label
from ..pages.query import financial_year
from ..pages.render import page
from .activity_form import MODES
from .allowed import recorder, services_for
from .fields import Reading
from .form_page import done_page
from .sending import AGAIN, event_id_of, new_event_id, record_all

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
NATIONWIDE = "national"
ROLES = (("customers", "customer"), ("colleagues", "colleague"))


def _regions(access: Access, regions: list[str]) -> list[tuple[str, str]]:
    mine = [(r, label(r)) for r in regions if access.may_see_region(r)]
    return [(NATIONWIDE, "Every region (a national session)"), *mine] if access.role == "officer" else mine


async def _form(request: Request, access: Access, status_code: int = 200, **context: Any) -> HTMLResponse:
    dims, _ = await services_for(request, access)
    defaults: dict[str, Any] = {"title": "Record a training session", "errors": {}, "values": {}, "not_sent": None,
                                "modes": MODES, "regions": _regions(access, dims.regions),
                                "this_year": date.today().year}
    return page(request, "recording/training_form.html", status_code, **{**defaults, **context})


def _register(r: Reading, name: str, what: str) -> list[str]:
    people = [line.strip() for line in r.raw(name).splitlines() if line.strip()]
    for person in people:
        if looks_like_a_name(person):
            r.fail(name, f"“{person}” looks like a person's name: give the id your system holds for them instead "
                   "(coprod replaces it with a token of its own)")
        elif len(person) > 200:
            r.fail(name, f"Each {what} id must be 200 characters or fewer")
    return people


@router.get("/training/new", response_class=HTMLResponse)
async def new_session(request: Request, access: Recorder) -> HTMLResponse:
    """The form for a session and who attended."""
    return await _form(request, access, event_id=new_event_id())


@router.post("/training/new", response_class=HTMLResponse)
async def record_session(request: Request, access: Recorder, form: Form) -> Response:
    """Send `training.session_held` and one `training.attended` for each person on the register."""
    dims, _ = await services_for(request, access)
    event_id, r = event_id_of(form), Reading(form)
    held = r.day("held_on", "the session was held", date.today())
    module = r.text("module", "module", required="Enter the name of the training module")
    mode = r.choice("mode", [m for m, _ in MODES], "Choose how the session was given")
    region = r.choice("region", [k for k, _ in _regions(access, dims.regions)], "Choose the region of the session")
    attendees = {role: _register(r, field, role) for field, role in ROLES}
    if r.errors or held is None:
        return await _form(request, access, 400, event_id=event_id, errors=r.errors, values=r.values)
    session_id = f"web-{event_id}"
    session: dict[str, Any] = {"session_id": session_id, "held_on": held.isoformat(), "module": module, "mode": mode}
    if region != NATIONWIDE:
        session["region"] = region
    user = request.state.user.user_id
    events = [cloud_event("training.session_held", session, user, f"{event_id}-session")]
    for role, people in attendees.items():
        events += [cloud_event("training.attended", {"session_id": session_id, "person_id": person, "role": role},
                               user, f"{event_id}-{role}-{n}") for n, person in enumerate(people)]
    try:
        sent = [outcome.status for outcome in await record_all(request, events)]
    except NotRecorded as error:
        return await _form(request, access, 503, event_id=event_id, values=r.values, not_sent=f"{error}. {AGAIN}")
    start, end = financial_year(held)
    links = [(f"/training?from={start}&to={end}", "See the training figures it counts in"),
             ("/training/new", "Record another session")]
    registered = sum(len(p) for p in attendees.values())
    return done_page(request, "Training session", sent[0] == "duplicate", f"{registered} people on its register",
                     links)
