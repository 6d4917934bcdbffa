"""`/v1/kpis/*`: the figures as JSON or CSV, each stamped with how up to date it is. Every route needs `read`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events.base import FIRST_DAY, LAST_DAY
from shared.http import scoped
from shared.openapi import KEY_REFUSALS, problem_responses
from shared.problems import Problem

from . import csv
from .api_models import (
    APPLIES_TO,
    ActivitiesAnswer,
    CommitmentsAnswer,
    CoproductionAnswer,
    CustomerGroupAnswer,
    FeedbackAnswer,
    FeedbackGroup,
    LadderAnswer,
    OpportunitiesAnswer,
    SummaryAnswer,
    TrainingAnswer,
    not_applied,
    with_csv,
)
from .state import reading
from .tables import LEVELS, READ_MODEL_VERSION, ReadModel, read_model
from .upgrade import Rebuilding, Upgrade
from .views import Filters, FiltersOut, Period, financial_year, summary
from .views_activities import ActivityRow, activity_register
from .views_cache import Answers, stamp_of
from .views_commitments import ServiceCommitment, commitments_by_service
from .views_customer_group import CustomerGroup, customer_group
from .views_dimensions import SERVICE_TYPES, Dimensions, dimensions, service_names, unknown_filters
from .views_ladder import LadderBy, LadderRow, ladder
from .views_model import Rate, plan_for_these_values
from .views_other import Training, read_sections, together, training
from .views_series import (
    GROUPINGS,
    CoproductionRow,
    GroupBy,
    OpportunityRow,
    TrainingRow,
    coproduction,
    feedback_breakdown,
    opportunity_list,
    training_breakdown,
)

router = APIRouter(
    prefix="/v1/kpis", tags=["kpis"], dependencies=[Depends(scoped("read"))],
    responses={**KEY_REFUSALS, **problem_responses(422, 503)},
)


@dataclass(frozen=True)
class Asked:
    period: Period
    filters: Filters
    as_csv: bool


def _date(name: str, raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Problem(422, f"'{name}' must be a date written like 2025-04-01, not {raw[:40]!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Problem(422, f"'{name}' must be a day from {FIRST_DAY} to {LAST_DAY} (as events' dates are), not {day}")
    return day


def asked(
    request: Request,
    start: Annotated[str | None, Query(alias="from", description="first day, e.g. 2025-04-01 (default: the first"
                                       f" day of this financial year), from {FIRST_DAY} to {LAST_DAY}",
                                       json_schema_extra={"format": "date"})] = None,
    end: Annotated[str | None, Query(alias="to", description="last day (default: the last day of this financial"
                                     " year); status figures are judged on this day, or today if it is later;"
                                     f" from {FIRST_DAY} to {LAST_DAY}", json_schema_extra={"format": "date"})]
    = None,
    region: Annotated[str | None, Query(description="one of the regions GET /v1/kpis/dimensions lists",
                                        max_length=200)] = None,
    service_id: Annotated[str | None, Query(description="one of the services GET /v1/kpis/dimensions lists",
                                            max_length=200)] = None,
    service_type: Annotated[str | None, Query(description="one of the service types GET /v1/kpis/dimensions lists",
                                              json_schema_extra={"enum": list(SERVICE_TYPES)})]
    = None,
    format: Annotated[str | None, Query(description="json or csv (or send Accept: text/csv)",
                                        json_schema_extra={"enum": ["json", "csv"]})] = None,
) -> Asked:
    today = date.today()
    default = financial_year(today)
    period = Period(_date("from", start) or default.start, _date("to", end) or default.end, today)
    if period.start > period.end:
        raise Problem(422, f"'from' ({period.start}) is after 'to' ({period.end}): the period would be empty")
    if format not in (None, "json", "csv"):
        raise Problem(422, f"'format' must be json or csv, not {format!r}")
    as_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    return Asked(period, Filters(region or None, service_id or None, service_type or None), as_csv)


Parameters = Annotated[Asked, Depends(asked)]
View = Callable[[AsyncConnection, ReadModel], Awaitable[Any]]


async def read_answer(
    request: Request, question: Hashable, view: View, filters: Filters | None = None
) -> tuple[Any, Any]:
    """The view's answer to `question`, kept until the figures move (views_cache); first, filters that name
    nothing known are refused, naming what they could be.

    Tables built by an older READ_MODEL_VERSION serve until their rebuild is done, but may lack what a figure
    needs: that answers 503 with how far the rebuild has got, not 500.
    """
    engine: AsyncEngine = request.app.state.engine
    answers: Answers = request.app.state.answers
    version = READ_MODEL_VERSION
    try:
        async with reading(engine) as (conn, now):
            version, model = now.version, read_model(now.generation)
            stamp = await stamp_of(conn, model, now.position)
            found = answers.get(stamp, question)
            if found is None:
                if filters is not None and (problems := await unknown_filters(conn, model, filters)):
                    raise Problem(422, "; ".join(p["message"] for p in problems), errors=problems)
                await plan_for_these_values(conn)
                found = await view(conn, model)
                answers.put(stamp, question, found)
    except DBAPIError:
        if version >= READ_MODEL_VERSION:
            raise
        raise await _rebuilding(request.app.state.upgrade) from None
    updated = now.updated_at.isoformat() if now.updated_at else None
    return found, {"position": now.position, "lag": now.lag, "updated_at": updated}


async def _rebuilding(upgrade: Upgrade) -> Problem:
    rebuilding = await upgrade.rebuilding()
    if rebuilding is None:  # switched to the rebuilt tables since this question was read
        rebuilding = Rebuilding("The figures have just been rebuilt after an upgrade. Try again.", 1)
    return Problem(503, rebuilding.reason, headers={"Retry-After": str(rebuilding.retry_after)})


def _filters_out(f: Filters) -> FiltersOut:
    return FiltersOut(region=f.region, service_id=f.service_id, service_type=f.service_type)


def _heading(p: Asked, section: str) -> dict[str, Any]:
    period = {"from": p.period.start.isoformat(), "to": p.period.end.isoformat()}
    filters = _filters_out(p.filters)
    unused = not_applied((section,), filters).get(section, [])
    return {"period": period, "as_at": p.period.as_at.isoformat(), "filters": filters.model_dump(),
            "filters_not_applied": unused}


def _csv(text: str, name: str) -> Response:
    disposition = f'attachment; filename="coprod-{name}.csv"'
    return Response(text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition})


async def _series(
    request: Request, p: Asked, name: str, view: View, model: type[BaseModel], section: str | None = None
) -> Response:
    rows, as_of = await read_answer(request, (name, p.period, p.filters), view, p.filters)
    body = {**_heading(p, section or name), "rows": [row.model_dump(mode="json") for row in rows], "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    rates = {key for key, field in model.model_fields.items() if field.annotation is Rate}
    return _csv(csv.rows_csv(body, list(model.model_fields), rates), name)


SUMMARY_CSV = (
    "Section,Figure,Value,Numerator,Denominator\n"
    "Engagement,Activities,400,,\n"
)


@router.get("/summary", response_model=SummaryAnswer, responses=with_csv(SUMMARY_CSV))
async def get_summary(request: Request, p: Parameters) -> Response:
    """Every figure of docs/domain.md for the period (default: this financial year).

    `region`, `service_id` and `service_type` narrow engagement, services and commitments, and feedback (through
    its service). Training sessions and champions are narrowed by `region` only; opportunities by `region` (their
    own or their service's) and `service_id`; notifications by none. A filter that does not apply leaves the figure
    whole, and `filters_not_applied` says so. Status figures (services, commitments held and due for review,
    champions, open opportunities) are judged on `as_at`: `to`, or today while the period has not ended.
    """
    figures, as_of = await read_answer(
        request, ("summary", p.period, p.filters), lambda conn, m: summary(conn, m, p.period, p.filters), p.filters
    )
    unused = not_applied(tuple(APPLIES_TO), _filters_out(p.filters))
    body = {**figures.model_dump(mode="json", by_alias=True), "as_at": p.period.as_at.isoformat(),
            "filters_not_applied": unused, "as_of": as_of}
    return _csv(csv.summary_csv(body), "summary") if p.as_csv else JSONResponse(body)


@router.get("/dimensions", response_model=Dimensions)
async def get_dimensions(request: Request) -> Response:
    """The values the filters can take: every region named anywhere, every service with its name, every service
    type, so a dashboard can offer them as choices."""
    found, _ = await read_answer(request, ("dimensions",), dimensions)
    return JSONResponse(found.model_dump(mode="json"))


@router.get("/coproduction", response_model=CoproductionAnswer, responses=with_csv(
    "Month,Activities,Co-produced,Co-production rate (%)\n"
    "2025-04,40,6,15.0\n"
))
async def get_coproduction(
    request: Request, p: Parameters,
    group_by: Annotated[str, Query(description="how to group", json_schema_extra={"enum": list(GROUPINGS)})]
    = "month",
) -> Response:
    """Activities, co-produced and the co-production rate by month, quarter, region, service, type or level."""
    if group_by not in GROUPINGS:
        raise Problem(422, f"'group_by' must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    chosen: GroupBy = group_by  # type: ignore[assignment]

    async def view(conn: AsyncConnection, m: ReadModel) -> list[dict[str, Any]]:
        names = await service_names(conn, m) if chosen == "service" else None
        return [_keyed(row, chosen, names) for row in await coproduction(conn, m, p.period, p.filters, chosen)]

    rows, as_of = await read_answer(request, ("coproduction", group_by, p.period, p.filters), view, p.filters)
    body = {**_heading(p, "engagement"), "group_by": group_by, "rows": rows, "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    columns = [group_by, *(["name"] if group_by == "service" else []), "activities", "coproduced", "coproduction_rate"]
    return _csv(csv.rows_csv(body, columns, {"coproduction_rate"}), f"coproduction-by-{group_by}")


def _keyed(row: CoproductionRow, group_by: str, names: dict[str, str | None] | None) -> dict[str, Any]:
    dumped = row.model_dump(mode="json")
    group = dumped.pop("group")
    named = {} if names is None else {"name": names.get(group) if group else None}
    return {group_by: group, **named, **dumped}


@router.get("/ladder", response_model=LadderAnswer, responses=with_csv(
    "Group,Activities,Educating,Informing,Consulting,Engaging,Co-designing,Co-producing\n"
    "2025-04,40,2,8,12,8,4,6\n"
))
async def get_ladder(
    request: Request, p: Parameters,
    group_by: Annotated[str, Query(description="month or quarter (financial: April to June is Q1)",
                                   json_schema_extra={"enum": ["month", "quarter"]})] = "month",
) -> Response:
    """The ladder of co-production over time: activities at each level, by month or quarter."""
    if group_by not in ("month", "quarter"):
        raise Problem(422, f"'group_by' must be month or quarter, not {group_by!r}")
    chosen: LadderBy = group_by  # type: ignore[assignment]
    view: View = lambda conn, m: ladder(conn, m, p.period, p.filters, chosen)  # noqa: E731
    return await _series(request, p, f"ladder-by-{group_by}", view, LadderRow, section="engagement")


@router.get("/activities", response_model=ActivitiesAnswer, responses=with_csv(
    "Activity id,Occurred on,Service,Region,Activity type,Level,Mode,Customers,Colleagues,Summary,Outcome,"
    "Outcome on\n"
))
async def get_activities(
    request: Request, p: Parameters,
    level: Annotated[str | None, Query(description="only activities at this level of the ladder",
                                       json_schema_extra={"enum": LEVELS})] = None,
) -> Response:
    """The register behind the engagement figures: each activity counted, newest first (at most 1,000), with its
    date, service, type, level, mode, participants, summary and outcome ("you said, we did")."""
    if level not in (None, "", *LEVELS):
        raise Problem(422, f"'level' must be one of {', '.join(LEVELS)}, not {level!r}")
    view: View = lambda conn, m: activity_register(conn, m, p.period, p.filters, level or None)  # noqa: E731
    return await _series(request, p, f"activities-{level or 'all'}", view, ActivityRow, section="engagement")


@router.get("/commitments", response_model=CommitmentsAnswer, responses=with_csv(
    "Service,Name,Region,Service type,Commitment held,Held since,Review due on,Review due\n"
))
async def get_commitments(request: Request, p: Parameters) -> Response:
    """Each service open on `as_at`: whether it holds a commitment, since when, and whether review is due."""
    view: View = lambda conn, m: commitments_by_service(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "commitments", view, ServiceCommitment)


@router.get("/training", response_model=TrainingAnswer, responses=with_csv(
    "Month,Mode,Role,Sessions,People trained\n"
    "2025-05,virtual,customer,2,9\n"
    f"{csv.WHOLE_PERIOD},all,everyone,30,340\n"
))
async def get_training(request: Request, p: Parameters) -> Response:
    """Sessions and people trained by month, mode and role. The rows cannot be summed (a session has customers
    and colleagues, a person may come in several months): `totals` gives the whole period, counted once each."""

    async def view(conn: AsyncConnection, m: ReadModel) -> tuple[list[TrainingRow], Training]:
        (totals,) = await read_sections(conn, together([training(m, p.period, p.filters)]))
        return await training_breakdown(conn, m, p.period, p.filters), totals

    (rows, totals), as_of = await read_answer(request, ("training", p.period, p.filters), view, p.filters)
    body = {**_heading(p, "training"), "rows": [row.model_dump(mode="json") for row in rows],
            "totals": totals.model_dump(mode="json"), "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    return _csv(csv.training_csv(body, list(TrainingRow.model_fields)), "training")


@router.get("/feedback", response_model=FeedbackAnswer, responses=with_csv(
    "Kind,Theme,Service,Service name,Received,Responded,Actioned\n"
))
async def get_feedback(request: Request, p: Parameters) -> Response:
    """Feedback received, responded to and actioned, by kind, theme and service (with the service's name)."""

    async def view(conn: AsyncConnection, m: ReadModel) -> list[FeedbackGroup]:
        names = await service_names(conn, m)
        return [FeedbackGroup(**row.model_dump(), service_name=names.get(row.service_id or ""))
                for row in await feedback_breakdown(conn, m, p.period, p.filters)]

    return await _series(request, p, "feedback", view, FeedbackGroup)


@router.get("/opportunities", response_model=OpportunitiesAnswer, responses=with_csv(
    "Opportunity id,Title,Scope,Region,Service,Published on,Closes on,Status,Alerts sent,"
    "Sign-ups\n"
))
async def get_opportunities(request: Request, p: Parameters) -> Response:
    """Each opportunity published in the period: alerts sent, sign-ups, open or closed on `as_at`."""
    view: View = lambda conn, m: opportunity_list(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "opportunities", view, OpportunityRow)


@router.get("/customer-group", response_model=CustomerGroupAnswer, responses=with_csv(
    "Section,Figure,Value,Numerator,Denominator\n"
    "National C&S Customer Group,National opportunities,12,,\n"
))
async def get_customer_group(request: Request, p: Parameters) -> Response:
    """The national C&S Customer Group: national opportunities published in the period, how many were accessible
    (support offered, virtual or hybrid, expenses paid: each, and all three), how many were the group's meetings,
    who signed up to them (customers or colleagues; members of the group or not) and the group's members on `as_at`.
    Counts only; no filter narrows them (national opportunities have no region)."""
    view: View = lambda conn, m: customer_group(conn, m, p.period)  # noqa: E731
    figures, as_of = await read_answer(request, ("customer_group", p.period), view)
    body = {**_heading(p, "customer_group"), **figures.model_dump(mode="json"), "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    return _csv(csv.figures_csv(body, "National C&S Customer Group", list(CustomerGroup.model_fields)),
                "customer-group")
