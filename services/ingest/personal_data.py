"""Spotting contact details in free text: the event log is kept forever, so they must never enter it."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_UK_PHONE = re.compile(r"(?<![\w+-])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s)-]{0,2}){8,9}\d(?![\d-])")
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}[\s-]?(?:\d[\s-]?){6,12}\d(?!\d)")
_MAYBE_PHONE = re.compile(r"\d[\d\s()+-]{7,}\d")
_ISO_DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_REMEMBERED_LENGTH = 64


def contact_details_in(data: Any, path: str = "data") -> list[tuple[str, str]]:
    """Each (field, what it looks like) whose text looks like an email address or a phone number."""
    found: list[tuple[str, str]] = []
    _scan(data, path, found)
    return found


def _scan(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    """A field's path is spelled out only when it is reported or descended into: most fields are short strings."""
    if isinstance(value, str):
        if kind := _looks(value):
            found.append((path, kind))
    elif isinstance(value, dict):
        for name, item in value.items():
            _scan_item(item, name, path, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _scan_item(item, index, path, found)


def _scan_item(item: Any, name: object, path: str, found: list[tuple[str, str]]) -> None:
    if isinstance(item, str):
        if (kind := _looks(item)) and not _is_identifier(str(name)):
            found.append((f"{path}.{name}", kind))
    elif isinstance(item, dict | list) and not _is_identifier(str(name)):
        _scan(item, f"{path}.{name}", found)


def _looks(text: str) -> str | None:
    """Dates, codes and choices recur from event to event: short texts are remembered."""
    return _looks_short(text) if len(text) <= _REMEMBERED_LENGTH else looks_like_contact_details(text)


def looks_like_contact_details(text: str) -> str | None:
    if "@" not in text and not _MAYBE_PHONE.search(text):
        return None
    if _ISO_DATE_OR_TIME.fullmatch(text.strip()):
        return None
    if _EMAIL.search(text):
        return "an email address"
    if _UK_PHONE.search(text) or _INTERNATIONAL_PHONE.search(text):
        return "a phone number"
    return None


@lru_cache(maxsize=4096)
def _looks_short(text: str) -> str | None:
    return looks_like_contact_details(text)


def _is_identifier(field: str) -> bool:
    return field == "id" or field.endswith(("_id", "_ids"))
