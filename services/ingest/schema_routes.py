"""`/v1/schemas`: the JSON Schema of every event type, for upstream teams to validate against."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from shared.events import EVENT_TYPES
from shared.openapi import problem_responses
from shared.problems import Problem

from .api_models import SchemaList
from .schemas import schema_of

router = APIRouter(prefix="/v1/schemas", tags=["schemas"])


@router.get("")
async def list_schemas() -> SchemaList:
    """Every event type coprod takes, with where its schema is."""
    listed = [{"type": name, "schema": f"/v1/schemas/{name}"} for name in EVENT_TYPES]
    return SchemaList.model_validate({"types": listed})


@router.get("/{event_type}", responses=problem_responses(404))
async def get_schema(event_type: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """The JSON Schema of one event type."""
    if event_type not in EVENT_TYPES:
        raise Problem(404, f"there is no event type called {event_type!r}; GET /v1/schemas lists them")
    return schema_of(event_type)
