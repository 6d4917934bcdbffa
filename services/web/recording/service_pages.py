"""Services: registered (id, name, type, region) and closed. A manager only in their regions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shared.events.services import ServiceType

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..pages.formatting import label
from ..pages.query import financial_year
from .allowed import recorder, refusal, region_refusal, services_for
from .fields import Reading
from .form_page import Field, Form, done_page, form_page, recorded_link, status_for
from .sending import AGAIN, event_id_of, new_event_id, record

router = APIRouter()
FormDep = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
TYPES = [(t.value, label(t.value)) for t in ServiceType]


def _register_form(regions: list[tuple[str, str]], officer: bool) -> Form:
    fields = [
        Field("text", "service_id", "What is the service's id?", hint="The id your case-management system gives"
              " it, for example SCH-0412"),
        Field("text", "name", "What is the service called?", hint="For example, Oak House"),
        Field("radios", "service_type", "What kind of service is it?", TYPES),
        Field("select", "region", "Which region is it in?", regions),
    ]
    if officer:
        fields.append(Field("text", "new_region", "Or, a region not listed (optional)",
                            hint="Its code in lower case, for example north_east"))
    fields.append(Field("date", "opened_on", "When did it open? (optional)"))
    return Form("Register a service", "/services/new", "Register the service", fields)


def _close_form(services: list[tuple[str, str]]) -> Form:
    return Form("Record a service closing", "/services/close", "Record the closure", [
        Field("select", "service_id", "Which service closed?", services),
        Field("date", "closed_on", "When did it close?", hint="From this day it no longer counts among the services"),
    ])


async def _regions(request: Request, access: Access) -> tuple[list[str], list[tuple[str, str]]]:
    """Every region, and those this account records for."""
    dims, _ = await services_for(request, access)
    return dims.regions, [(r, label(r)) for r in dims.regions if access.may_see_region(r)]


@router.get("/services/new", response_class=HTMLResponse)
async def new_service(request: Request, access: Recorder) -> HTMLResponse:
    """The form to register a service."""
    _, mine = await _regions(request, access)
    return form_page(request, _register_form(mine, access.role == "officer"), new_event_id())


@router.post("/services/new", response_class=HTMLResponse)
async def register_service(request: Request, access: Recorder, form: FormDep) -> Response:
    """Send `service.registered` once."""
    regions, mine = await _regions(request, access)
    shown = _register_form(mine, access.role == "officer")
    event_id, r = event_id_of(form), Reading(form)
    data: dict[str, Any] = {
        "service_id": r.text("service_id", "service id", required="Enter the service's id"),
        "name": r.text("name", "name", required="Enter the name of the service"),
        "service_type": r.choice("service_type", [t for t, _ in TYPES], "Choose what kind of service it is"),
    }
    new_region = r.text("new_region", "region") if access.role == "officer" else None
    region = new_region or r.choice("region", regions, "Choose the region the service is in")
    if new_region:
        r.errors.pop("region", None)
    opened = r.day("opened_on", "it opened", date.today(), required=False)
    refused = None if "region" in r.errors else region_refusal(access, region)
    if refused:
        r.errors = {"region": refused, **r.errors}
    if r.errors or region is None:
        return form_page(request, shown, event_id, status_for(refused), r)
    data.update(region=region, **({"opened_on": opened.isoformat()} if opened else {}))
    try:
        outcome = await record(request, "service.registered", data, event_id)
    except NotRecorded as error:
        return form_page(request, shown, event_id, 503, r, f"{error}. {AGAIN}")
    start, end = financial_year(date.today())
    links = [*recorded_link(outcome), (f"/?from={start}&to={end}&region={region}",
                                       f"See the services of the {label(region)} region it counts in"),
             ("/commitments/signed", "Record its Service Involvement Commitment"), ("/record", "Record something else")]
    return done_page(request, "Service", outcome.status == "duplicate", str(data["name"]), links)


@router.get("/services/close", response_class=HTMLResponse)
async def close_page(request: Request, access: Recorder) -> HTMLResponse:
    """The form to record a service closing."""
    _, services = await services_for(request, access)
    return form_page(request, _close_form([(s.service_id, s.name) for s in services]), new_event_id())


@router.post("/services/close", response_class=HTMLResponse)
async def close_service(request: Request, access: Recorder, form: FormDep) -> Response:
    """Send `service.closed` once."""
    dims, services = await services_for(request, access)
    shown = _close_form([(s.service_id, s.name) for s in services])
    event_id, r = event_id_of(form), Reading(form)
    service = r.choice("service_id", list(dims.services), "Choose the service that closed")
    closed = r.day("closed_on", "it closed", date.today(), future=True)
    refused = None if "service_id" in r.errors else refusal(access, dims, service)
    if refused:
        r.errors = {"service_id": refused, **r.errors}
    if r.errors or service is None or closed is None:
        return form_page(request, shown, event_id, status_for(refused), r)
    try:
        outcome = await record(request, "service.closed", {"service_id": service, "closed_on": closed.isoformat()},
                               event_id)
    except NotRecorded as error:
        return form_page(request, shown, event_id, 503, r, f"{error}. {AGAIN}")
    start, end = financial_year(closed)
    links = [*recorded_link(outcome), (f"/?from={start}&to={end}", "See the number of services it changes"),
             ("/record", "Record something else")]
    return done_page(request, "Closure", outcome.status == "duplicate", dims.name_of(service), links)
