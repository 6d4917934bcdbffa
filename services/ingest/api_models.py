"""The shapes of ingest's requests and answers, for the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events import EVENT_TYPES

from .content import BATCH, PLAIN_JSON, STRUCTURED
from .examples import example_event

_ENVELOPE: dict[str, Any] = {
    "type": "object",
    "required": ["specversion", "id", "source", "type", "time", "data"],
    "description": "A CloudEvent 1.0; `GET /v1/schemas/{type}` gives the JSON Schema of each type's `data`.",
    "properties": {
        "specversion": {"type": "string", "enum": ["1.0"]},
        "id": {"type": "string", "minLength": 1, "maxLength": 200},
        "source": {"type": "string", "minLength": 1, "maxLength": 200, "examples": ["urn:cms:north"]},
        "type": {"type": "string", "enum": list(EVENT_TYPES)},
        "time": {"type": "string", "format": "date-time", "description": "when it happened, with an offset"},
        "subject": {"type": "string"},
        "datacontenttype": {"type": "string", "enum": ["application/json"]},
        "dataschema": {"type": "string"},
        "data": {"type": "object"},
    },
}
_ONE = example_event("engagement.recorded", "act-2041-recorded", "urn:cms:north")
_BATCH = {"type": "array", "items": _ENVELOPE, "minItems": 1, "maxItems": 1000}
EVENTS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One event (`application/cloudevents+json`), a batch (`application/cloudevents-batch+json`, "
        "up to 1,000, stored all or none), or either as `application/json`.",
        "content": {
            **{media: {"schema": _ENVELOPE, "example": _ONE} for media in sorted(STRUCTURED)},
            **{media: {"schema": _BATCH, "example": [_ONE]} for media in sorted(BATCH)},
            **{media: {"schema": {"oneOf": [_ENVELOPE, _BATCH]}, "example": _ONE} for media in sorted(PLAIN_JSON)},
        },
    }
}


class Outcome(BaseModel):
    id: str = Field(examples=["act-2041-recorded"])
    source: str = Field(examples=["urn:cms:north"])
    status: Literal["accepted", "duplicate"] = Field(
        description="`duplicate`: the same source and id were sent before, and it is recorded once"
    )
    position: int = Field(description="its place in the event log", examples=[1234])


class Warning(BaseModel):
    index: int = Field(description="the event's place in the batch, from 0", examples=[0])
    field: str = Field(examples=["data.colleages_participating"])
    message: str = Field(examples=["coprod does not know this field: it is kept, but no figure reads it"])


class Accepted(BaseModel):
    """Every event sent, in order, with its status and position; `warnings` names fields kept but not known."""

    events: list[Outcome]
    warnings: list[Warning] = Field(default_factory=list)


class StoredCloudEvent(BaseModel):
    """An event as it was sent, with its `position` in the log."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{**_ONE, "position": 1234}]})

    position: int
    id: str
    source: str
    type: str


class EventLog(BaseModel):
    events: list[StoredCloudEvent]
    head: int = Field(description="the position of the last event stored")


class Head(BaseModel):
    position: int = Field(description="the position of the last event stored", examples=[1234])


class SchemaEntry(BaseModel):
    type: str = Field(examples=["engagement.recorded"])
    schema_: str = Field(alias="schema", examples=["/v1/schemas/engagement.recorded"])


class SchemaList(BaseModel):
    types: list[SchemaEntry]
