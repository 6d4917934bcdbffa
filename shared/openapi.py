"""What every service's OpenAPI document shares: its errors as problem details, and the API-key scheme."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPBearer

from .problems import MEDIA_TYPE, FieldProblem, ProblemDetails, title_of

BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    description="Your coprod API key, sent as `Authorization: Bearer <key>` (`coprod up` prints a development key).",
)
_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
_UNUSED = ("HTTPValidationError", "ValidationError")
_REPLACED = ({"$ref": "#/components/schemas/HTTPValidationError"}, _PROBLEM_REF)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for routes that can answer these statuses: each a problem details document."""
    return {status: {"model": ProblemDetails, "description": title_of(status)} for status in statuses}


KEY_REFUSALS = problem_responses(401, 403, 429)


def describe_problems(app: FastAPI) -> None:
    """Make `app.openapi()` list every error answer as `application/problem+json`, validation errors included."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes,
                tags=app.openapi_tags, servers=app.servers,
            )
            app.openapi_schema = _with_problems(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _with_problems(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (FieldProblem, ProblemDetails):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas[model.__name__] = found
    for operation in _operations(document):
        for status, response in operation.get("responses", {}).items():
            if status.isdigit() and int(status) >= 400 and _is_problem(response):
                response["content"] = {MEDIA_TYPE: {"schema": _PROBLEM_REF}}
                if status == "422":
                    response["description"] = title_of(422)
    for name in _UNUSED:
        schemas.pop(name, None)
    return document


def _is_problem(response: dict[str, Any]) -> bool:
    """FastAPI's validation error and `problem_responses` come as application/json; other answers stay as they are."""
    content = response.get("content")
    return content is None or content.get("application/json", {}).get("schema") in _REPLACED


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for path in document.get("paths", {}).values() for op in path.values() if isinstance(op, dict)]
