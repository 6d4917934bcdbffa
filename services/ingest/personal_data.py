"""Spotting contact details in free text: the event log is kept forever, so they must never enter it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_UK_PHONE = re.compile(r"(?<![\w+-])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s)-]{0,2}){8,9}\d(?![\d-])")
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}[\s-]?(?:\d[\s-]?){6,12}\d(?!\d)")
_ISO_DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def contact_details_in(data: Any, path: str = "data") -> Iterator[tuple[str, str]]:
    """Each (field, what it looks like) whose text looks like an email address or a phone number."""
    if isinstance(data, dict):
        for name, value in data.items():
            if not _is_identifier(str(name)):
                yield from contact_details_in(value, f"{path}.{name}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from contact_details_in(item, f"{path}.{index}")
    elif isinstance(data, str) and (kind := looks_like_contact_details(data)):
        yield path, kind


def looks_like_contact_details(text: str) -> str | None:
    if _ISO_DATE_OR_TIME.fullmatch(text.strip()):
        return None
    if _EMAIL.search(text):
        return "an email address"
    if _UK_PHONE.search(text) or _INTERNATIONAL_PHONE.search(text):
        return "a phone number"
    return None


def _is_identifier(field: str) -> bool:
    return field == "id" or field.endswith(("_id", "_ids"))
