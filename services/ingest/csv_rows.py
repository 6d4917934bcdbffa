"""One spreadsheet row to one CloudEvent: list columns split on ';', dotted columns nest, ids derive from the row."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from shared.events import EVENT_TYPES, cloud_event

from .guard import guard
from .schemas import required_fields, schema_of

SPECIAL_COLUMNS = ("event_id", "time", "subject")
PARTIAL_UPDATES = frozenset({"engagement.amended", "champion.preferences_updated"})
_ID_NAMESPACE = uuid.UUID("6f1e4d52-3c57-4a0b-9a8e-2b1f4bce0d11")


class BadRow(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


def row_to_event(row: Mapping[str, str | None], event_type: str, source: str) -> dict[str, Any]:
    cells = {name.strip(): value.strip() for name, value in row.items() if name and value and value.strip()}
    data = _typed_data(event_type, {k: v for k, v in cells.items() if k not in SPECIAL_COLUMNS})
    event = cloud_event(
        event_type,
        data,
        id=cells.get("event_id") or _derived_id(event_type, source, data),
        source=source,
        time=cells.get("time") or _time_from_dates(event_type, data),
        subject=cells.get("subject"),
    )
    return event


def list_fields(event_type: str) -> set[str]:
    properties = schema_of(event_type)["properties"]["data"].get("properties", {})
    return {name for name, spec in properties.items() if _is_array(spec)}


def date_fields(event_type: str) -> list[str]:
    properties = schema_of(event_type)["properties"]["data"].get("properties", {})
    return [name for name, spec in properties.items() if _has_format(spec, "date")]


def _typed_data(event_type: str, cells: dict[str, str]) -> dict[str, Any]:
    lists = list_fields(event_type)
    raw: dict[str, Any] = {}
    for column, value in cells.items():
        parsed: Any = [part.strip() for part in value.split(";") if part.strip()] if column in lists else value
        _put(raw, column.split("."), parsed)
    try:
        model = EVENT_TYPES[event_type].model_validate(raw)
    except ValidationError as error:
        problems = [(_field(item["loc"]), _plain(item["type"], item["msg"])) for item in error.errors()]
        problems.extend((finding.field, finding.message) for finding in guard([{"data": raw}]))
        raise BadRow(problems) from None
    typed: dict[str, Any] = model.model_dump(mode="json", exclude_unset=True)
    return typed


def _derived_id(event_type: str, source: str, data: dict[str, Any]) -> str:
    if event_type in PARTIAL_UPDATES:
        key = repr(sorted(data.items()))
    else:
        leading_ids = [name for name in required_fields(event_type) if name.endswith("_id")]
        key = "|".join(str(data.get(name)) for name in leading_ids)
    return str(uuid.uuid5(_ID_NAMESPACE, f"{source}|{event_type}|{key}"))


def _time_from_dates(event_type: str, data: dict[str, Any]) -> str:
    for name in date_fields(event_type):
        if data.get(name):
            return f"{data[name]}T00:00:00+00:00"
    raise BadRow([("time", "this type has no date of its own: add a 'time' column (e.g. 2025-06-01T10:00:00+01:00)")])


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _is_array(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "array" or any(option.get("type") == "array" for option in spec.get("anyOf", []))


def _has_format(spec: dict[str, Any], kind: str) -> bool:
    return spec.get("format") == kind or any(option.get("format") == kind for option in spec.get("anyOf", []))


def _field(location: tuple[int | str, ...]) -> str:
    return ".".join(["data", *(str(part) for part in location)])


def _plain(kind: str, message: str) -> str:
    if kind == "missing":
        return "this column is required but is empty or missing"
    return message.removeprefix("Value error, ")
