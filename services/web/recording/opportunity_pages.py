"""The Menu of Involvement: publish an opportunity (scope, where, who it is open to, how, when, places, support,
expenses, closing date) and close it. A manager only for their regions or services, never a national one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shared.events.opportunities import ClosedReason, OpenTo, Scope

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import NotRecorded
from ..clients.projections import Projections
from ..pages.dimensions import Dimensions
from ..pages.formatting import label
from ..pages.query import financial_year
from .activity_form import MODES, TOPICS
from .allowed import recorder, refusal, region_refusal, services_for
from .fields import Reading
from .form_page import Field, Form, done_page, form_page, recorded_link, status_for
from .sending import AGAIN, event_id_of, new_event_id, record

router = APIRouter()
FormDep = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
LONDON = ZoneInfo("Europe/London")
SCOPES = {Scope.national: "Everyone, across the country", Scope.regional: "One region",
          Scope.service: "One service"}
OPEN_TO = {OpenTo.both: "Customers and colleagues", OpenTo.customers: "Customers", OpenTo.colleagues: "Colleagues"}
REASONS = [(r.value, label(r.value)) for r in ClosedReason]
YES_NO = [("yes", "Yes"), ("no", "No")]


GROUP = [("yes", "Yes, it is a meeting of the national C&S Customer Group")]


def _publish_form(access: Access, dims: Dimensions) -> Form:
    officer = access.role == "officer"
    scopes = [(s.value, text) for s, text in SCOPES.items() if officer or s is not Scope.national]
    regions = [(r, label(r)) for r in dims.regions if access.may_see_region(r)]
    services = [(s.service_id, s.name) for s in dims.services.values()
                if access.may_see_service(s.service_id, s.region)]
    return Form("Publish an opportunity", "/opportunities/new", "Publish the opportunity", [
        Field("text", "title", "What is the opportunity called?", hint="For example, Join the interview panel"),
        Field("textarea", "summary", "What will people do?", hint="Say what it involves and what difference it makes."
              " Do not name anyone."),
        Field("radios", "scope", "Who is it for?", scopes),
        *([Field("checkboxes", "customer_group_meeting", "Is it a national Customer Group meeting? (optional)", GROUP,
                 hint="Only an opportunity for everyone, across the country, can be one")] if officer else []),
        Field("select", "region", "Which region? (if it is for one region)", regions),
        Field("select", "service_id", "Which service? (if it is for one service)", services),
        Field("radios", "open_to", "Who can take part?", [(o.value, text) for o, text in OPEN_TO.items()]),
        Field("radios", "mode", "How will people take part? (optional)", MODES),
        Field("date", "starts_on", "When does it take place? (optional)"),
        Field("time", "starts_time", "At what time? (optional)", hint="For example, 14:30 or 2:30pm"),
        Field("text", "location", "Where does it happen? (optional)", hint="A scheme's lounge, an office, or the"
              " link to join online. Never a home address."),
        Field("textarea", "how_to_take_part", "How do people say they are interested? (optional)",
              hint="Who to tell, for example the staff at their scheme. Not a person's own email or phone number."),
        Field("number", "places", "How many places are there? (optional)"),
        Field("textarea", "accessibility_support", "What support is there to take part? (optional)",
              hint="For example, a hearing loop, step-free access, easy read papers"),
        Field("radios", "expenses_paid", "Are travel and other expenses paid? (optional)", YES_NO),
        Field("checkboxes", "topics", "What is it about? (optional)", [(t, t.capitalize()) for t in TOPICS]),
        Field("date", "closes_on", "When does it close to new people?",
              hint="For example, 30 4 " + str(date.today().year + 1)),
    ], "It goes on the Menu of Involvement, and the champions who want to hear of it are told.")


def _starts_at(r: Reading) -> str | None:
    on = r.day("starts_on", "it takes place", date.today(), future=True, required=False)
    at = r.time_of_day("starts_time", "it starts")
    if at and not on and "starts_on" not in r.errors:
        r.fail("starts_on", "Enter the date it takes place, or leave the time empty")
    if on is None:
        return None
    return datetime.combine(on, at or datetime.min.time(), LONDON).isoformat()


def _where(r: Reading, access: Access, dims: Dimensions, scope: str | None) -> tuple[dict[str, str], str | None]:
    """The region or service the scope names, and why this account may not publish there."""
    if scope == Scope.regional:
        region = r.choice("region", dims.regions, "Choose the region the opportunity is for")
        return ({"region": region} if region else {}), None if region is None else region_refusal(access, region)
    if scope == Scope.service:
        service = r.choice("service_id", list(dims.services), "Choose the service the opportunity is for")
        return ({"service_id": service} if service else {}), None if service is None else refusal(access, dims,
                                                                                                    service)
    refused = None if scope is None or access.role == "officer" else (
        "Choose one region or one service: only a co-production officer publishes an opportunity for everyone")
    return {}, refused


def read_opportunity(r: Reading, access: Access, dims: Dimensions) -> tuple[dict[str, Any], str | None]:
    """The data of `opportunity.published` (complete when the reading has no errors) and any refusal."""
    data: dict[str, Any] = {
        "title": r.text("title", "title", required="Enter what the opportunity is called"),
        "summary": r.text("summary", "description", required="Enter what people will do"),
        "scope": r.choice("scope", [s.value for s in SCOPES], "Choose who the opportunity is for"),
        "open_to": r.choice("open_to", [o.value for o in OPEN_TO], "Choose who can take part"),
    }
    where, refused = _where(r, access, dims, data["scope"])
    mode = r.raw("mode")
    data.update(where, mode=mode if mode in dict(MODES) else None, starts_at=_starts_at(r),
                places=r.count("places", "places"), expenses_paid=r.yes_no("expenses_paid"),
                accessibility_support=r.text("accessibility_support", "support to take part"),
                topics=r.choices("topics", TOPICS) or None, location=r.text("location", "place"),
                how_to_take_part=r.text("how_to_take_part", "way to take part"))
    if r.choices("customer_group_meeting", ["yes"]):
        data["customer_group_meeting"] = True
        if data["scope"] != Scope.national:
            r.fail("customer_group_meeting", "Only an opportunity for everyone, across the country, can be a national"
                   " Customer Group meeting: choose 'Everyone, across the country', or untick this")
    closes = r.day("closes_on", "it closes", date.today(), future=True)
    data["closes_on"] = closes.isoformat() if closes else None
    if refused:
        r.errors = {("region" if data["scope"] == Scope.regional else "service_id" if data["scope"] == Scope.service
                     else "scope"): refused, **r.errors}
    return {k: v for k, v in data.items() if v is not None}, refused


@router.get("/opportunities/new", response_class=HTMLResponse)
async def new_opportunity(request: Request, access: Recorder) -> HTMLResponse:
    """The form to publish an opportunity."""
    dims, _ = await services_for(request, access)
    return form_page(request, _publish_form(access, dims), new_event_id())


@router.post("/opportunities/new", response_class=HTMLResponse)
async def publish(request: Request, access: Recorder, form: FormDep) -> Response:
    """Send `opportunity.published` once."""
    dims, _ = await services_for(request, access)
    event_id, r = event_id_of(form), Reading(form)
    data, refused = read_opportunity(r, access, dims)
    if r.errors:
        return form_page(request, _publish_form(access, dims), event_id, status_for(refused), r)
    data["opportunity_id"] = f"web-{event_id}"
    try:
        outcome = await record(request, "opportunity.published", data, event_id)
    except NotRecorded as error:
        return form_page(request, _publish_form(access, dims), event_id, 503, r, f"{error}. {AGAIN}")
    return done_page(request, "Opportunity", outcome.status == "duplicate", str(data["title"]),
                     _links(outcome, data))


def _links(outcome: Any, where: dict[str, Any]) -> list[tuple[str, str]]:
    start, end = financial_year(date.today())
    narrowed = "".join(f"&{name}={where[name]}" for name in ("region", "service_id") if where.get(name))
    return [*recorded_link(outcome),
            (f"/menu/opportunities/{quote(str(where['opportunity_id']), safe='')}",
             "See it on the Menu of Involvement"),
            (f"/opportunities?from={start}&to={end}{narrowed}", "See the opportunities figures it counts in"),
            ("/opportunities/close", "Close an opportunity"), ("/record", "Record something else")]


async def _open(request: Request, access: Access, dims: Dimensions) -> dict[str, dict[str, Any]]:
    """The opportunities open today that this account may close, by id."""
    projections: Projections = request.app.state.projections
    start, _ = financial_year(date.today())
    found = await projections.get("/v1/kpis/opportunities", {"from": date(start.year - 1, 4, 1).isoformat(),
                                                             "to": date.today().isoformat()})
    return {row["opportunity_id"]: row for row in found["rows"] if row["status"] == "open"
            and _may_close(access, dims, row) is None}


def _may_close(access: Access, dims: Dimensions, row: dict[str, Any]) -> str | None:
    if row.get("service_id"):
        return refusal(access, dims, row["service_id"])
    return region_refusal(access, row.get("region"))


def _close_form(open_now: dict[str, dict[str, Any]]) -> Form:
    options = [(key, row.get("title") or key) for key, row in open_now.items()]
    return Form("Close an opportunity", "/opportunities/close", "Close it", [
        Field("select", "opportunity_id", "Which opportunity?", options,
              hint="Only opportunities open today that you may close are listed"),
        Field("date", "closed_on", "When did it close?"),
        Field("radios", "reason", "Why did it close? (optional)", REASONS),
    ])


@router.get("/opportunities/close", response_class=HTMLResponse)
async def close_page(request: Request, access: Recorder) -> HTMLResponse:
    """The form to take an opportunity off the Menu of Involvement."""
    dims, _ = await services_for(request, access)
    return form_page(request, _close_form(await _open(request, access, dims)), new_event_id())


@router.post("/opportunities/close", response_class=HTMLResponse)
async def close(request: Request, access: Recorder, form: FormDep) -> Response:
    """Send `opportunity.closed` once."""
    dims, _ = await services_for(request, access)
    open_now = await _open(request, access, dims)
    event_id, r = event_id_of(form), Reading(form)
    key = r.choice("opportunity_id", list(open_now), "Choose one of the open opportunities you may close")
    on = r.day("closed_on", "it closed", date.today())
    reason = r.raw("reason")
    if r.errors or key is None or on is None:
        return form_page(request, _close_form(open_now), event_id, 400, r)
    data = {"opportunity_id": key, "closed_on": on.isoformat(), **({"reason": reason} if reason in dict(REASONS)
                                                                   else {})}
    try:
        outcome = await record(request, "opportunity.closed", data, event_id)
    except NotRecorded as error:
        return form_page(request, _close_form(open_now), event_id, 503, r, f"{error}. {AGAIN}")
    return done_page(request, "Closure", outcome.status == "duplicate", str(open_now[key].get("title") or key),
                     _links(outcome, open_now[key]))
