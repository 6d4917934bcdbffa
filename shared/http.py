"""What every service's HTTP API shares: API-key checks, plain-words errors, health and metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from .auth import ApiKey, Scope, authenticate, require_scope
from .openapi import BEARER, describe_problems
from .plain_addresses import RefuseControlCharacters
from .problems import install_problem_handlers

Readiness = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


async def caller(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None
) -> ApiKey:
    """The caller's API key; `BEARER` declares it in the OpenAPI document, so /docs has an Authorize button."""
    return authenticate(request.headers.get("authorization"), request.app.state.settings.api_keys)


Caller = Annotated[ApiKey, Depends(caller)]


def scoped(scope: Scope) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency that lets through only keys with `scope`."""

    # async: FastAPI runs plain `def` dependencies in a worker thread, a hop per request.
    async def check(key: Caller) -> ApiKey:
        require_scope(key, scope)
        return key

    return check


def service_app(title: str, lifespan: Lifespan, description: str = "") -> FastAPI:
    """A service's app: its /docs (Swagger UI) and /redoc served from the package, nothing from a CDN, and its
    errors as problem details."""
    app = FastAPIOffline(title=title, version="1", description=description, lifespan=lifespan,
                         swagger_ui_parameters={"persistAuthorization": True})
    install_error_handlers(app)
    app.add_middleware(RefuseControlCharacters)
    return app


def install_error_handlers(app: FastAPI) -> None:
    """Every error as RFC 9457 problem details, in the answers and in the OpenAPI document."""
    install_problem_handlers(app)
    describe_problems(app)


_READINESS: dict[str, Any] = {
    "description": "What answers and what does not",
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
}
_METRICS: dict[int | str, dict[str, Any]] = {
    200: {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}
}


def health_router(readiness: Readiness, registry: CollectorRegistry = REGISTRY) -> APIRouter:
    """`/healthz` (alive), `/readyz` (stores and Redis answer) and `/metrics`, none needing a key."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "alive"}

    @router.get("/readyz", response_class=JSONResponse, responses={200: _READINESS, 503: _READINESS})
    async def readyz() -> JSONResponse:
        """Whether this service's stores and Redis answer, and anything it wants an operator to know."""
        ready, detail = await readiness()
        return JSONResponse(detail, status_code=200 if ready else 503)

    @router.get("/metrics", response_class=Response, responses=_METRICS)
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
