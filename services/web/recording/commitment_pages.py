"""Service Involvement Commitments: signed, renewed (with its next review date), lapsed (with the reason)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..clients.projections import Projections
from ..pages.dimensions import Dimensions
from ..pages.query import financial_year
from ..pages.render import problem
from .allowed import recorder, refusal, services_for
from .fields import Reading
from .form_page import Field, Form, done_page, form_page, recorded_link, status_for
from .sending import AGAIN, event_id_of, new_event_id, record

router = APIRouter()
FormDep = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
SIGNED, RENEWED, LAPSED = "signed", "renewed", "lapsed"
DATE_OF = {SIGNED: "signed_on", RENEWED: "renewed_on", LAPSED: "lapsed_on"}
WHEN = {SIGNED: "it was signed", RENEWED: "it was renewed", LAPSED: "it lapsed"}


async def _held(request: Request) -> dict[str, str]:
    """Each service's commitment held today, by service: what renewing or lapsing names."""
    projections: Projections = request.app.state.projections
    today = date.today()
    found = await projections.get("/v1/kpis/commitments", {"from": financial_year(today)[0].isoformat(),
                                                           "to": today.isoformat()})
    return {row["service_id"]: row["commitment_id"] for row in found["rows"] if row.get("commitment_id")}


def _form(what: str, services: list[tuple[str, str]]) -> Form:
    when = DATE_OF[what]
    fields = [Field("select", "service_id", "Which service is it for?", services,
                    None if what == SIGNED else "Only services holding a commitment today are listed"),
              Field("date", when, f"When {WHEN[what].removeprefix('it ')}?")]
    if what == SIGNED:
        fields += [Field("date", "review_due_on", "When is it due for review? (optional)", hint="For example, 1 4 "
                         + str(date.today().year + 1)),
                   Field("number", "customers_signed", "How many customers signed it? (optional)"),
                   Field("number", "colleagues_signed", "How many colleagues signed it? (optional)")]
    elif what == RENEWED:
        fields.append(Field("date", "review_due_on", "When is it next due for review?",
                            hint="For example, 1 4 " + str(date.today().year + 1)))
    else:
        fields.append(Field("textarea", "reason", "Why did it lapse?", hint="For example, the customer group stopped"
                            " meeting. Do not name anyone."))
    title = {SIGNED: "Record a signed commitment", RENEWED: "Record a renewed commitment",
             LAPSED: "Record a lapsed commitment"}[what]
    return Form(title, f"/commitments/{what}", "Record it", fields,
                "A Service Involvement Commitment is a service's pledge, between its customers and colleagues, about"
                " involvement and the support to take it up.")


async def _choices(request: Request, access: Access, what: str) -> tuple[Dimensions, list[tuple[str, str]],
                                                                            dict[str, str]]:
    dims, services = await services_for(request, access)
    held = {} if what == SIGNED else await _held(request)
    options = [(s.service_id, s.name) for s in services if what == SIGNED or s.service_id in held]
    return dims, options, held


@router.get("/commitments/{what}", response_class=HTMLResponse)
async def commitment_form(request: Request, what: str, access: Recorder) -> HTMLResponse:
    """The form to record a commitment signed, renewed or lapsed."""
    if what not in DATE_OF:
        return await _not_a_form(request)
    _, options, _ = await _choices(request, access, what)
    return form_page(request, _form(what, options), new_event_id())


async def _not_a_form(request: Request) -> HTMLResponse:
    return problem(request, 404, "There is no such form", "Commitments are signed, renewed or lapsed.")


@router.post("/commitments/{what}", response_class=HTMLResponse)
async def record_commitment(request: Request, what: str, access: Recorder, form: FormDep) -> Response:
    """Send `commitment.signed`, `.renewed` or `.lapsed`, once."""
    if what not in DATE_OF:
        return await _not_a_form(request)
    dims, options, held = await _choices(request, access, what)
    event_id, r = event_id_of(form), Reading(form)
    today = date.today()
    service = r.choice("service_id", [s for s, _ in options] if what != SIGNED else list(dims.services),
                       "Choose the service the commitment is for")
    on = r.day(DATE_OF[what], WHEN[what], today)
    data: dict[str, Any] = {"service_id": service, DATE_OF[what]: on.isoformat() if on else None}
    if what == LAPSED:
        data["reason"] = r.text("reason", "reason", required="Enter why the commitment lapsed")
    else:
        due = r.day("review_due_on", "it is due for review", today, future=True, required=what == RENEWED)
        data["review_due_on"] = due.isoformat() if due else None
    if what == SIGNED:
        data["customers_signed"] = r.count("customers_signed", "customers")
        data["colleagues_signed"] = r.count("colleagues_signed", "colleagues")
    refused = None if "service_id" in r.errors else refusal(access, dims, service)
    if refused:
        r.errors = {"service_id": refused, **r.errors}
    if r.errors or service is None or on is None:
        return form_page(request, _form(what, options), event_id, status_for(refused), r)
    data["commitment_id"] = f"web-{event_id}" if what == SIGNED else held[service]
    try:
        outcome = await record(request, f"commitment.{what}", {k: v for k, v in data.items() if v is not None},
                               event_id)
    except NotRecorded as error:
        return form_page(request, _form(what, options), event_id, 503, r, f"{error}. {AGAIN}")
    start, end = financial_year(today)
    links = [*recorded_link(outcome), (f"/?from={start}&to={end}&service_id={service}",
              f"See the commitment coverage of {dims.name_of(service)} it changes"),
             (f"/commitments?from={start}&to={end}", "See every service's commitment and review date"),
             ("/record", "Record something else")]
    return done_page(request, f"Commitment {what}", outcome.status == "duplicate", dims.name_of(service), links)
