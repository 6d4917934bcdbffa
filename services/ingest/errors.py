"""Ingest's refusals as HTTP answers, in plain words."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from .checks import Refused
from .content import BadRequest
from .metrics import EVENTS, REQUESTS_REFUSED
from .ratelimit import RateLimited
from .store import Conflict


def install_ingest_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BadRequest)
    async def _bad_request(_: Request, error: BadRequest) -> JSONResponse:
        REQUESTS_REFUSED.labels(str(error.status)).inc()
        return JSONResponse({"error": str(error)}, status_code=error.status)

    @app.exception_handler(Refused)
    async def _refused(_: Request, error: Refused) -> JSONResponse:
        REQUESTS_REFUSED.labels("422").inc()
        EVENTS.labels("refused").inc(len({problem["index"] for problem in error.problems}))
        return JSONResponse({"error": "some events were refused; nothing was stored", "errors": error.problems}, 422)

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, error: Conflict) -> JSONResponse:
        REQUESTS_REFUSED.labels("409").inc()
        return JSONResponse({"error": str(error), "index": error.index}, status_code=409)

    @app.exception_handler(DBAPIError)
    async def _store_unavailable(_: Request, error: DBAPIError) -> JSONResponse:
        REQUESTS_REFUSED.labels("503").inc()
        message = "the event store did not answer; the events may not be stored: send them again (repeats are safe)"
        return JSONResponse({"error": message}, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(RateLimited)
    async def _rate_limited(_: Request, error: RateLimited) -> JSONResponse:
        REQUESTS_REFUSED.labels("429").inc()
        headers = {"Retry-After": str(error.retry_after)}
        return JSONResponse({"error": str(error)}, status_code=429, headers=headers)
