"""Ingest's refusals as problem details (shared.problems), in plain words."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError

from shared.problems import Problem, problem_response
from shared.ratelimit import RateLimited

from .checks import Refused
from .content import BadRequest
from .metrics import EVENTS, REQUESTS_REFUSED
from .store import Conflict
from .store_errors import BadData, StoreUnavailable


def install_ingest_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BadRequest)
    async def _bad_request(_: Request, error: BadRequest) -> Response:
        return _refused_with(Problem(error.status, str(error)))

    @app.exception_handler(Refused)
    async def _refused(_: Request, error: Refused) -> Response:
        EVENTS.labels("refused").inc(len({problem["index"] for problem in error.problems}))
        detail = f"{len(error.problems)} problem(s) in the events sent; nothing was stored"
        return _refused_with(Problem(422, detail, errors=error.problems))

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, error: Conflict) -> Response:
        return _refused_with(Problem(409, str(error), index=error.index))

    @app.exception_handler(BadData)
    async def _bad_data(_: Request, error: BadData) -> Response:
        return _refused_with(Problem(422, str(error)))

    @app.exception_handler(StoreUnavailable)
    @app.exception_handler(DBAPIError)
    async def _store_unavailable(_: Request, error: Exception) -> Response:
        return _refused_with(Problem(503, str(StoreUnavailable()), headers={"Retry-After": "1"}))

    @app.exception_handler(RateLimited)
    async def _rate_limited(_: Request, error: RateLimited) -> Response:
        return _refused_with(Problem(429, str(error), headers={"Retry-After": str(error.retry_after)}))


def _refused_with(problem: Problem) -> Response:
    REQUESTS_REFUSED.labels(str(problem.status)).inc()
    return problem_response(problem)
