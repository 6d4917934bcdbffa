"""How deep objects and arrays may sit inside one another in an event: deep enough for any contract, and far
short of where serialising the event back out would fail (orjson stops at 255 levels)."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32


def too_deep(event: Any, limit: int = MAX_DEPTH) -> str | None:
    """The field under which `event` nests more than `limit` levels deep (the event itself is level 1), or None."""
    pending: list[tuple[Any, int, str]] = [(event, 1, "")]
    while pending:
        value, depth, field = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            return field or "the event"
        children = value.items() if isinstance(value, dict) else enumerate(value)
        pending.extend((child, depth + 1, _named(field, name, depth)) for name, child in children)
    return None


def _named(field: str, name: object, depth: int) -> str:
    """Names down to the declared level (`data.notes`, or an extension attribute): deeper names add nothing."""
    if depth > 2 or (depth == 2 and field != "data") or not isinstance(name, str):
        return field
    return f"{field}.{name}" if field else name
