"""One error format for every service: RFC 9457 problem details (`application/problem+json`), in plain words.

Raise `Problem(status, detail, ...)` anywhere; `install_problem_handlers` also turns FastAPI's own errors (404,
405, validation) and the API-key refusals into the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from .auth import NotAllowed, NotAuthenticated
from .ratelimit import RateLimited

MEDIA_TYPE = "application/problem+json"

KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "The request could not be read"),
    401: ("not-authenticated", "No API key, or one coprod does not know"),
    403: ("not-allowed", "This API key may not do that"),
    404: ("not-found", "There is nothing at this address"),
    405: ("method-not-allowed", "This address does not take that method"),
    409: ("conflict", "This conflicts with what is already recorded"),
    413: ("too-large", "The request is too large"),
    415: ("unsupported-media-type", "The body is in a format coprod does not read"),
    422: ("invalid", "Some of what was sent is not valid"),
    429: ("too-many-requests", "Too many requests for this API key"),
    500: ("internal-error", "Something went wrong inside coprod"),
    503: ("unavailable", "Not available just now"),
}
"""Each status's problem type (a `tag:` URI, RFC 9457 §3.1.1: they name the kind, nothing to fetch) and title."""


class FieldProblem(BaseModel):
    """One thing wrong with what was sent: which event (in a batch) and which field."""

    index: int | None = Field(None, description="the event's place in the batch, from 0", examples=[1])
    field: str = Field(description="the field, dotted", examples=["data.level"])
    message: str = Field(description="what is wrong, in plain words", examples=["must be one of: informing, …"])


class ProblemDetails(BaseModel):
    """RFC 9457 problem details: every error of every coprod service has this shape."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="the kind of problem", examples=["tag:coprod,2026:invalid"])
    title: str = Field(description="the kind of problem, in plain words", examples=[KINDS[422][1]])
    status: int = Field(description="the HTTP status", examples=[422])
    detail: str = Field(description="what went wrong this time and what to do", examples=["1 problem; nothing stored"])
    errors: list[FieldProblem] | None = Field(None, description="for invalid input: every problem, by field")


class Problem(Exception):
    """An answer other than success: its status, plain-words detail, field problems, headers and extra members."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors
        self.headers, self.extra = dict(headers or {}), extra


def type_of(status: int) -> str:
    return f"tag:coprod,2026:{KINDS.get(status, ('error', ''))[0]}"


def title_of(status: int) -> str:
    return KINDS.get(status, ("", "The request did not succeed"))[1]


def problem_response(problem: Problem) -> Response:
    body: dict[str, Any] = {
        "type": type_of(problem.status),
        "title": title_of(problem.status),
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors is not None:
        body["errors"] = [dict(error) for error in problem.errors]
    body.update(problem.extra)
    return Response(orjson.dumps(body), status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers)


def field_problems(error: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's validation errors by field, never echoing the input (it may be a contact detail)."""
    return [{"field": _field(e["loc"]), "message": plain_message(e["msg"])} for e in error.errors()]


def _field(location: Sequence[Any]) -> str:
    """`email` rather than `body.email`: the body is what a field is in unless it says `query` or `path`."""
    inside = location[1:] if len(location) > 1 and location[0] == "body" else location
    return ".".join(map(str, inside))


def plain_message(message: str) -> str:
    return message.removeprefix("Value error, ").replace("Extra inputs are not permitted", "not a field coprod takes")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NotAuthenticated, _not_authenticated)  # type: ignore[arg-type]
    app.add_exception_handler(NotAllowed, _not_allowed)  # type: ignore[arg-type]
    app.add_exception_handler(RateLimited, _rate_limited)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _problem(_: Request, problem: Problem) -> Response:
    return problem_response(problem)


async def _http_exception(request: Request, error: HTTPException) -> Response:
    detail = error.detail if isinstance(error.detail, str) else title_of(error.status_code)
    if error.status_code == 404 and detail == "Not Found":
        detail = f"there is nothing at {request.url.path}; the API documents are at /docs"
    elif error.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.url.path} does not take {request.method}; /docs lists what it takes"
    elif error.status_code == 400 and detail == "There was an error parsing the body":  # FastAPI's, on bytes not UTF-8
        return problem_response(Problem(422, "the body could not be read as JSON text (UTF-8): send it as JSON"))
    return problem_response(Problem(error.status_code, detail, headers=error.headers))


async def _invalid(_: Request, error: RequestValidationError) -> Response:
    problems = field_problems(error)
    return problem_response(Problem(422, f"{len(problems)} problem(s) with what was sent", errors=problems))


async def _not_authenticated(_: Request, error: NotAuthenticated) -> Response:
    return problem_response(Problem(401, str(error), headers={"WWW-Authenticate": "Bearer"}))


async def _rate_limited(_: Request, error: RateLimited) -> Response:
    return problem_response(Problem(429, str(error), headers={"Retry-After": str(error.retry_after)}))


async def _not_allowed(_: Request, error: NotAllowed) -> Response:
    return problem_response(Problem(403, str(error)))


async def _unexpected(_: Request, error: Exception) -> Response:
    """Starlette logs the traceback after this answer is sent."""
    return problem_response(Problem(500, "coprod could not answer this; the error is in its log"))
