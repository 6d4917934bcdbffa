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

from .auth import ApiKey, NotAuthenticated, Scope, authenticate, require_scope
from .openapi import BEARER, describe_problems
from .plain_addresses import RefuseControlCharacters
from .problems import Problem, install_problem_handlers, problem_response
from .ratelimit import RateLimited, Throttle

Readiness = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


async def caller(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None
) -> ApiKey:
    """The caller's API key; `BEARER` declares it in the OpenAPI document, so /docs has an Authorize button."""
    return await throttled_key(request)


async def throttled_key(request: Request) -> ApiKey:
    """The caller's API key, within its rate limit; a missing or unknown key counts against the client's address."""
    throttle = throttle_of(request.app)
    try:
        key = authenticate(request.headers.get("authorization"), request.app.state.settings.api_keys)
    except NotAuthenticated:
        await throttle.failed_authentication(client_address(request))
        raise
    await throttle.request(key.name)
    return key


async def throttle_by_address(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Middleware for a service used without API keys (the dashboard): each client address within the limit."""
    try:
        await throttle_of(request.app).request(f"address {client_address(request)}", "from this address")
    except RateLimited as error:
        return problem_response(Problem(429, str(error), headers={"Retry-After": str(error.retry_after)}))
    return await call_next(request)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def throttle_of(app: FastAPI) -> Throttle:
    """The app's rate limits, made on first use from its settings (one set of counters per service)."""
    found: Throttle | None = getattr(app.state, "throttle", None)
    if found is None:
        settings = app.state.settings
        found = app.state.throttle = Throttle(
            settings.redis_url, settings.stream_prefix, app.title, settings.rate_limit_per_minute,
            settings.failed_auth_per_minute,
        )
    return found


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
    async def readyz(request: Request) -> JSONResponse:
        """Whether this service's stores and Redis answer, where its rate limits are counted, and anything it wants
        an operator to know."""
        ready, detail = await readiness()
        detail["rate_limits"] = throttle_of(request.app).where
        return JSONResponse(detail, status_code=200 if ready else 503)

    @router.get("/metrics", response_class=Response, responses=_METRICS)
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
