"""The JSON Schema of each event type: the CloudEvents envelope with that type's `data`."""

from __future__ import annotations

from functools import cache
from typing import Any

from shared.events import EVENT_TYPES

_ENVELOPE_REQUIRED = ["specversion", "id", "source", "type", "time", "data"]


@cache
def schema_of(event_type: str) -> dict[str, Any]:
    data = dict(EVENT_TYPES[event_type].model_json_schema())
    definitions = data.pop("$defs", None)
    data.pop("title", None)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://coprod.example/schemas/{event_type}.json",
        "title": event_type,
        "description": (EVENT_TYPES[event_type].__doc__ or "").strip() or f"A {event_type} CloudEvent.",
        "type": "object",
        "required": _ENVELOPE_REQUIRED,
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "minLength": 1, "maxLength": 200},
            "source": {"type": "string", "minLength": 1, "maxLength": 200},
            "type": {"const": event_type},
            "time": {"type": "string", "format": "date-time", "description": "when it happened, with an offset"},
            "subject": {"type": "string"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"type": "string"},
            "data": data,
        },
    }
    if definitions:
        schema["$defs"] = definitions
    return schema


def required_fields(event_type: str) -> list[str]:
    required: list[str] = schema_of(event_type)["properties"]["data"].get("required", [])
    return required
