"""Fields of `data` coprod does not know: kept as sent (upstream may know more), and named back as warnings, so a
misspelt field (`colleages_participating`) is seen rather than silently counted as missing."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from shared.events import EVENT_TYPES


@cache
def known_fields(event_type: str) -> frozenset[str]:
    fields = EVENT_TYPES[event_type].model_fields
    return frozenset(fields) | {f.alias for f in fields.values() if f.alias}


def unknown_fields(raws: Sequence[Any]) -> list[dict[str, Any]]:
    """A warning for each field of each event's `data` that its type does not have (events are checked already)."""
    warnings = []
    for index, raw in enumerate(raws):
        data, event_type = raw.get("data"), raw.get("type")
        if not isinstance(data, dict) or event_type not in EVENT_TYPES:
            continue
        for name in data.keys() - known_fields(event_type):
            warnings.append({"index": index, "field": f"data.{name}", "message": _message(event_type)})
    return sorted(warnings, key=lambda w: (w["index"], w["field"]))


def _message(event_type: str) -> str:
    return (
        f"{event_type} has no field of this name: it is kept as sent, but no figure reads it (is it misspelt?"
        f" GET /v1/schemas/{event_type} lists the fields)"
    )
