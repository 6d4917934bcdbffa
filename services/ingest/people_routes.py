"""`/v1/people`: an administrator finds the token the record holds for a person, or erases the person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from shared.auth import ApiKey
from shared.http import scoped
from shared.openapi import KEY_REFUSALS, problem_responses

from . import people
from .runtime import Runtime, runtime

router = APIRouter(
    prefix="/v1/people", tags=["people"], responses={**KEY_REFUSALS, **problem_responses(422, 429, 503)}
)
Admin = Annotated[ApiKey, Depends(scoped("admin"))]
RuntimeDep = Annotated[Runtime, Depends(runtime)]
UpstreamId = Annotated[str, Path(min_length=1, max_length=200, description="the person's id in your system")]


@router.get("/{upstream_id:path}", responses=problem_responses(404))
async def token_of(upstream_id: UpstreamId, _: Admin, ingest: RuntimeDep) -> dict[str, str]:
    """The token coprod's record holds instead of this person's id: to find them in the record (a subject access
    request), or to give notify a champion's contact details."""
    async with ingest.store.engine.connect() as conn:
        tokens = await people.tokens_of(conn, [upstream_id])
    if upstream_id not in tokens:
        raise HTTPException(404, "coprod holds no one with this id: it was never sent, or the person was erased")
    return {"token": tokens[upstream_id]}


@router.delete("/{upstream_id:path}")
async def erase(upstream_id: UpstreamId, key: Admin, ingest: RuntimeDep) -> dict[str, bool | str]:
    """Erase a person: coprod forgets which token was theirs, so its record can no longer be tied to them, while
    the figures stay as they were. The erasure is recorded (who asked and when, never whom)."""
    async with ingest.store.engine.begin() as conn:
        held = await people.erase(conn, [upstream_id], by=f"API key {key.name!r}")
    await people.scrub(ingest.store.engine)
    said = "erased: coprod's record can no longer be tied to this person" if held else "coprod held no one with this id"
    return {"erased": held, "detail": said}
