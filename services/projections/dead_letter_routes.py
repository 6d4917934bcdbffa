"""`GET /v1/dead-letters` and `GET /v1/set-aside`: the events the projections gave up on, each with why.

The dead letters are the stream entries to replay after a fix; `set-aside` is what the live figures went on past
(set_aside.py), which a rebuild or a replay applies again."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from shared.auth import ApiKey, NotAllowed
from shared.consuming import list_dead_letters
from shared.http import Caller
from shared.openapi import KEY_REFUSALS, problem_responses

from .set_aside import counted, listed
from .state import reading
from .tables import read_model

router = APIRouter(tags=["dead letters"], responses={**KEY_REFUSALS, **problem_responses(422)})


class DeadLetter(BaseModel):
    """An event set aside, with why; `event` is the event as stored, with its position."""

    model_config = ConfigDict(extra="allow")

    position: int | None
    event: dict[str, Any]


class DeadLetters(BaseModel):
    dead_letters: list[DeadLetter]
    count: int


def _reader_or_admin(key: Caller) -> ApiKey:
    if not {"read", "admin"} & set(key.scopes):
        raise NotAllowed(f"the API key {key.name!r} needs the 'read' or 'admin' scope to see the dead letters")
    return key


class SetAsideEvent(BaseModel):
    position: int
    event_id: str | None
    type: str | None
    reason: str


class SetAsideEvents(BaseModel):
    set_aside: list[SetAsideEvent]
    count: int


@router.get("/v1/dead-letters", response_model=DeadLetters)
async def dead_letters(
    request: Request,
    _: Annotated[ApiKey, Depends(_reader_or_admin)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Events that failed too often to be applied, oldest first, with their errors; replay them after a fix."""
    letters = await list_dead_letters(request.app.state.redis, request.app.state.consumer_config.dead_letters, limit)
    by_position: dict[Any, dict[str, Any]] = {}
    for letter in letters:
        event = orjson.loads(letter.pop("body"))
        by_position.setdefault(event.get("position"), {**letter, "position": event.get("position"), "event": event})
    found = list(by_position.values())
    return {"dead_letters": found, "count": len(found)}


@router.get("/v1/set-aside", response_model=SetAsideEvents)
async def set_aside_events(
    request: Request,
    _: Annotated[ApiKey, Depends(_reader_or_admin)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Events the live figures could not apply and went on past, in position order, each with why; `count` is how
    many there are in all."""
    async with reading(request.app.state.engine) as (conn, now):
        model = read_model(now.generation)
        found = [SetAsideEvent(**vars(event)) for event in await listed(conn, model, limit)]
        return {"set_aside": found, "count": await counted(conn, model)}
