"""How figures read on the page: one way for every page, so the same number never reads two ways."""

from __future__ import annotations

from datetime import date, datetime

LABELS = {
    "supported_accommodation": "Supported accommodation",
    "retirement_living": "Retirement living",
    "floating_support": "Floating support",
    "other": "Other",
    "face_to_face": "Face to face",
    "co_producing": "Co-producing",
    "co_designing": "Co-designing",
}


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def count(number: int) -> str:
    return f"{number:,}"


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def moment(value: datetime) -> str:
    return f"{value.day} {value:%B %Y at %H:%M} UTC"


def label(code: str | None) -> str:
    """A contract code (`north_west`, `face_to_face`) in plain words."""
    if code is None:
        return "Not given"
    return LABELS.get(code) or code.replace("_", " ").capitalize()
