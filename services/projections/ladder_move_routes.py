"""`GET /v1/kpis/ladder/moves`: which services moved up the ladder, quarter on quarter."""

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
from .views_ladder_moves import LadderMove, ladder_moves

router = APIRouter(prefix="/v1/kpis", tags=["kpis"], dependencies=[Depends(scoped("read"))],
                   responses={**KEY_REFUSALS, **problem_responses(422, 503)})


class MovesAnswer(Series):
    rows: list[LadderMove] = Field(description="services with activities in both quarters, moved up most first")


@router.get("/ladder/moves", response_model=MovesAnswer)
async def get_ladder_moves(request: Request, p: Parameters) -> JSONResponse:
    """Each service's average rung in the quarter holding `to` beside the quarter before, and whether it moved
    up, down or stayed. `from` is not used: the quarters are those of `to`."""

    async def view(conn: AsyncConnection, m: ReadModel) -> list[LadderMove]:
        return await ladder_moves(conn, m, p.period.end, p.filters)

    rows, as_of = await read_answer(request, ("ladder-moves", p.period, p.filters), view, p.filters)
    return JSONResponse({**heading(p, "engagement"), "rows": [row.model_dump() for row in rows], "as_of": as_of})
