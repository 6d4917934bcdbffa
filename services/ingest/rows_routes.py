"""`/v1/rows`: a spreadsheet's rows (the browser's upload) checked by `coprod import`'s rules, and stored all or
none. With `store: false` nothing is stored: the answer lists every bad row and field, for a preview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shared.auth import NotAllowed
from shared.openapi import KEY_REFUSALS, problem_responses

from .checks import check_permission
from .content import BadRequest
from .csv_import import IMPORTABLE, checked_rows
from .limits import outside_limits
from .routes import Writer
from .runtime import Runtime, runtime

router = APIRouter(prefix="/v1/rows", tags=["events"], responses={**KEY_REFUSALS, **problem_responses(429, 503)})
MOST_ROWS = 20_000


class Row(BaseModel):
    line: int = Field(ge=1, description="the row's line (CSV) or row number (Excel), to name it in problems")
    cells: dict[str, str | None]


class Rows(BaseModel):
    type: str = Field(description="the event type every row is")
    source: str = Field(max_length=200, description="the source every event is sent under")
    rows: list[Row] = Field(max_length=MOST_ROWS)
    store: bool = Field(default=False, description="false: only check; true: store every row, or none")


class Problem(BaseModel):
    line: int
    field: str
    message: str


class Checked(BaseModel):
    rows: int
    problems: list[Problem]
    accepted: int = 0
    duplicate: int = 0


@router.post("", response_model=Checked, responses=problem_responses(400, 422))
async def post_rows(body: Rows, key: Writer, ingest: Annotated[Runtime, Depends(runtime)]) -> JSONResponse:
    """Check a spreadsheet's rows as `coprod import` does; with `store`, store them all once there is no problem."""
    if body.type not in IMPORTABLE:
        raise BadRequest(400, f"rows cannot be of type {body.type!r}; they may be {', '.join(IMPORTABLE)}")
    read = checked_rows(((row.line, row.cells) for row in body.rows), body.type, body.source)
    problems = [Problem(line=line, field=name, message=message) for line, name, message in read.bad]
    check_permission(read.raws, key)
    outside = [Problem(line=read.lines[index], field="place", message=why)
               for index, why in await outside_limits(read.raws, key, ingest.store)]
    answer = Checked(rows=len(body.rows), problems=sorted([*problems, *outside], key=lambda p: p.line))
    if body.store and outside:
        raise NotAllowed(f"line {outside[0].line}: {outside[0].message}")
    if body.store and problems:
        return JSONResponse(answer.model_dump(), status_code=422)
    if body.store and read.events:
        outcomes = await ingest.committer.append(read.events)
        answer.accepted = sum(o.status == "accepted" for o in outcomes)
        answer.duplicate = len(outcomes) - answer.accepted
    return JSONResponse(answer.model_dump(), status_code=202 if body.store else 200)
