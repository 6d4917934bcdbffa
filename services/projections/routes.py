"""`/v1/kpis/*`: the figures as JSON or CSV, each stamped with how up to date it is. Every route needs `read`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.http import scoped

from . import csv
from .state import reading
from .tables import READ_MODEL_VERSION, ReadModel, read_model
from .upgrade import Rebuilding, Upgrade
from .views import Filters, Period, financial_year, summary
from .views_cache import Answers, stamp_of
from .views_commitments import ServiceCommitment, commitments_by_service
from .views_model import Rate, plan_for_these_values
from .views_series import (
    GROUPINGS,
    CoproductionRow,
    FeedbackRow,
    GroupBy,
    OpportunityRow,
    TrainingRow,
    coproduction,
    feedback_breakdown,
    opportunity_list,
    training_breakdown,
)

router = APIRouter(prefix="/v1/kpis", tags=["kpis"], dependencies=[Depends(scoped("read"))])
Row = TypeVar("Row", bound=BaseModel)


@dataclass(frozen=True)
class Asked:
    period: Period
    filters: Filters
    as_csv: bool


def _date(name: str, raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(422, f"'{name}' must be a date written like 2025-04-01, not {raw!r}") from None


def asked(
    request: Request,
    start: Annotated[str | None, Query(alias="from", description="first day, e.g. 2025-04-01")] = None,
    end: Annotated[str | None, Query(alias="to", description="last day (default: this financial year)")] = None,
    region: str | None = None,
    service_id: str | None = None,
    service_type: str | None = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Asked:
    default = financial_year(date.today())
    period = Period(_date("from", start) or default.start, _date("to", end) or default.end)
    if period.start > period.end:
        raise HTTPException(422, f"'from' ({period.start}) is after 'to' ({period.end}): the period would be empty")
    if format not in (None, "json", "csv"):
        raise HTTPException(422, f"'format' must be json or csv, not {format!r}")
    as_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    return Asked(period, Filters(region or None, service_id or None, service_type or None), as_csv)


Parameters = Annotated[Asked, Depends(asked)]
View = Callable[[AsyncConnection, ReadModel], Awaitable[Any]]


async def _read(request: Request, question: Hashable, view: View) -> tuple[Any, dict[str, Any]]:
    """The view's answer to `question`, kept until the figures move (views_cache).

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
                await plan_for_these_values(conn)
                found = await view(conn, model)
                answers.put(stamp, question, found)
    except DBAPIError:
        if version >= READ_MODEL_VERSION:
            raise
        raise await _rebuilding(request.app.state.upgrade) from None
    updated = now.updated_at.isoformat() if now.updated_at else None
    return found, {"position": now.position, "lag": now.lag, "updated_at": updated}


async def _rebuilding(upgrade: Upgrade) -> HTTPException:
    rebuilding = await upgrade.rebuilding()
    if rebuilding is None:  # switched to the rebuilt tables since this question was read
        rebuilding = Rebuilding("The figures have just been rebuilt after an upgrade. Try again.", 1)
    return HTTPException(503, rebuilding.reason, headers={"Retry-After": str(rebuilding.retry_after)})


def _heading(p: Asked) -> dict[str, Any]:
    f = p.filters
    period = {"from": p.period.start.isoformat(), "to": p.period.end.isoformat()}
    filters = {"region": f.region, "service_id": f.service_id, "service_type": f.service_type}
    return {"period": period, "filters": filters}


def _csv(text: str, name: str) -> Response:
    disposition = f'attachment; filename="coprod-{name}.csv"'
    return Response(text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition})


async def _series(request: Request, p: Asked, name: str, view: View, model: type[BaseModel], **extra: Any) -> Response:
    rows, as_of = await _read(request, (name, p.period, p.filters), view)
    body = {**_heading(p), **extra, "rows": [row.model_dump(mode="json") for row in rows], "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    rates = {key for key, field in model.model_fields.items() if field.annotation is Rate}
    return _csv(csv.rows_csv(body, list(model.model_fields), rates), name)


@router.get("/summary")
async def get_summary(request: Request, p: Parameters) -> Response:
    """Every figure of DOMAIN.md for the period (default: this financial year).

    `region`, `service_id` and `service_type` narrow engagement, services and commitments, and feedback (through
    its service). Training sessions and champions are narrowed by `region` only; opportunities by `region` (their
    own or their service's) and `service_id`; notifications by none. A filter that does not apply leaves the figure
    whole.
    """
    figures, as_of = await _read(
        request, ("summary", p.period, p.filters), lambda conn, m: summary(conn, m, p.period, p.filters)
    )
    body = {**figures.model_dump(mode="json", by_alias=True), "as_of": as_of}
    return _csv(csv.summary_csv(body), "summary") if p.as_csv else JSONResponse(body)


@router.get("/coproduction")
async def get_coproduction(request: Request, p: Parameters, group_by: str = "month") -> Response:
    """Activities, co-produced and the co-production rate by month, quarter, region, service, type or level."""
    if group_by not in GROUPINGS:
        raise HTTPException(422, f"'group_by' must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    chosen: GroupBy = group_by  # type: ignore[assignment]

    async def view(conn: AsyncConnection, m: ReadModel) -> list[dict[str, Any]]:
        return [_keyed(row, chosen) for row in await coproduction(conn, m, p.period, p.filters, chosen)]

    rows, as_of = await _read(request, ("coproduction", group_by, p.period, p.filters), view)
    body = {**_heading(p), "group_by": group_by, "rows": rows, "as_of": as_of}
    if not p.as_csv:
        return JSONResponse(body)
    columns = [group_by, "activities", "coproduced", "coproduction_rate"]
    return _csv(csv.rows_csv(body, columns, {"coproduction_rate"}), f"coproduction-by-{group_by}")


def _keyed(row: CoproductionRow, group_by: str) -> dict[str, Any]:
    dumped = row.model_dump(mode="json")
    return {group_by: dumped.pop("group"), **dumped}


@router.get("/commitments")
async def get_commitments(request: Request, p: Parameters) -> Response:
    """Each service open on `to`: whether it holds a commitment, since when, and whether review is due."""
    view: View = lambda conn, m: commitments_by_service(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "commitments", view, ServiceCommitment)


@router.get("/training")
async def get_training(request: Request, p: Parameters) -> Response:
    """Sessions and people trained by month, mode and role."""
    view: View = lambda conn, m: training_breakdown(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "training", view, TrainingRow)


@router.get("/feedback")
async def get_feedback(request: Request, p: Parameters) -> Response:
    """Feedback received, responded to and actioned, by kind, theme and service."""
    view: View = lambda conn, m: feedback_breakdown(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "feedback", view, FeedbackRow)


@router.get("/opportunities")
async def get_opportunities(request: Request, p: Parameters) -> Response:
    """Each opportunity published in the period: alerts sent, sign-ups, open or closed on `to`."""
    view: View = lambda conn, m: opportunity_list(conn, m, p.period, p.filters)  # noqa: E731
    return await _series(request, p, "opportunities", view, OpportunityRow)
