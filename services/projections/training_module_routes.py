"""`GET /v1/kpis/training/modules`: training by module, for the period and region asked."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.http import scoped
from shared.openapi import KEY_REFUSALS, problem_responses

from .api_models import Series
from .routes import Parameters, read_answer
from .routes import _heading as heading  # the same heading as every answer of /v1/kpis
from .tables import ReadModel
from .views_training_modules import ModuleRow, training_by_module

router = APIRouter(prefix="/v1/kpis", tags=["kpis"], dependencies=[Depends(scoped("read"))],
                   responses={**KEY_REFUSALS, **problem_responses(422, 503)})


class ModulesAnswer(Series):
    rows: list[ModuleRow] = Field(description="one a module, by name; a person trained in two modules is in both")


@router.get("/training/modules", response_model=ModulesAnswer)
async def get_training_modules(request: Request, p: Parameters) -> JSONResponse:
    """Sessions held in each training module, and the distinct customers and colleagues trained in it. Only
    `region` narrows these (sessions are held for a region, not a service)."""

    async def view(conn: AsyncConnection, m: ReadModel) -> list[ModuleRow]:
        return await training_by_module(conn, m, p.period, p.filters)

    rows, as_of = await read_answer(request, ("training-modules", p.period, p.filters), view, p.filters)
    return JSONResponse({**heading(p, "training"), "rows": [row.model_dump() for row in rows], "as_of": as_of})
