"""`/v1/events`: take events in, read the event log back out."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, get_args

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials

from shared.auth import ApiKey, Scope, require_scope
from shared.http import throttled_key
from shared.openapi import BEARER, KEY_REFUSALS, problem_responses

from .api_models import EVENTS_BODY, Accepted, EventLog, Head
from .checks import check_permission, check_request
from .content import read_body, read_events
from .limits import check_limits
from .metrics import EVENTS
from .runtime import Runtime, runtime
from .store import LAST_POSITION, Status
from .unknown_fields import unknown_fields

router = APIRouter(prefix="/v1/events", tags=["events"], responses={**KEY_REFUSALS, **problem_responses(429, 503)})
RuntimeDep = Annotated[Runtime, Depends(runtime)]
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
_ANSWERED = {status: EVENTS.labels(status) for status in get_args(Status)}
"""Counted once per request and outcome: a label lookup costs microseconds, 500 of them a millisecond or more."""


async def _writer(request: Request, _: Bearer) -> ApiKey:
    return await _checked_key(request, "write")


async def _reader(request: Request, _: Bearer) -> ApiKey:
    return await _checked_key(request, "read")


async def _checked_key(request: Request, scope: Scope) -> ApiKey:
    """shared.http's `caller` and `scoped`, checked inline: sync dependencies would each cost a thread hop."""
    key = await throttled_key(request)
    require_scope(key, scope)
    return key


Writer = Annotated[ApiKey, Depends(_writer)]
Reader = Annotated[ApiKey, Depends(_reader)]


@router.post(
    "", status_code=202, response_model=Accepted, openapi_extra=EVENTS_BODY,
    responses=problem_responses(400, 409, 413, 415, 422),
)
async def post_events(request: Request, key: Writer, ingest: RuntimeDep) -> Response:
    """Record one event, or a batch of them (all or nothing)."""
    received = await read_body(request.headers, request.stream(), ingest.limits)
    raws = read_events(request.headers, received, ingest.limits)
    check_permission(raws, key)
    await check_limits(raws, key, ingest.store)
    outcomes = await ingest.committer.append(await check_request(raws, len(received), ingest.limits.max_text))
    for status, count in Counter(outcome.status for outcome in outcomes).items():
        _ANSWERED[status].inc(count)
    body: dict[str, Any] = {
        "events": [{"id": o.id, "source": o.source, "status": o.status, "position": o.position} for o in outcomes]
    }
    if warnings := unknown_fields(raws):
        body["warnings"] = warnings
    return Response(orjson.dumps(body), status_code=202, media_type="application/json")


@router.get("", response_model=EventLog, responses=problem_responses(422))
async def read_log(
    _: Reader,
    ingest: RuntimeDep,
    after: Annotated[int, Query(ge=0, le=LAST_POSITION, description="the last position you have")] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Response:
    """The event log in position order, each event with its position, and the current head."""
    stored = await ingest.store.read(after, limit)
    head = await ingest.store.head()
    body = '{"events":[' + ",".join(event.as_json() for event in stored) + f'],"head":{head}}}'
    return Response(body, media_type="application/json")


@router.get("/head")
async def read_head(_: Reader, ingest: RuntimeDep) -> Head:
    """The position of the last event stored."""
    return Head(position=await ingest.store.head())
