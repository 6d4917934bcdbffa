"""`/v1/schemas`: the JSON Schema of every event type, for upstream teams to validate against."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path

from shared.events import EVENT_TYPES

from .schemas import schema_of

router = APIRouter(prefix="/v1/schemas", tags=["schemas"])


@router.get("")
async def list_schemas() -> dict[str, Any]:
    """Every event type coprod takes, with where its schema is."""
    return {"types": [{"type": name, "schema": f"/v1/schemas/{name}"} for name in EVENT_TYPES]}


@router.get("/{event_type}")
async def get_schema(event_type: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """The JSON Schema of one event type."""
    if event_type not in EVENT_TYPES:
        raise HTTPException(404, f"there is no event type called {event_type!r}")
    return schema_of(event_type)
