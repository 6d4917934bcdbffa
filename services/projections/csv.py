"""KPI answers as CSV a spreadsheet user can read: plain headings, rates as percentages beside their counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shared.spreadsheet import csv_text

LABELS = {
    "coproduced": "Co-produced",
    "coproduction_rate": "Co-production rate",
    "doing_with_rate": "Doing-with rate",
    "you_said_we_did": "You said, we did",
    "services_with_commitment": "Services with a commitment",
    "coverage": "Commitment coverage",
    "due_for_review": "Commitments due for review",
    "sign_ups": "Sign-ups",
    "service_id": "Service",
    "co_producing": "Co-producing",
    "co_designing": "Co-designing",
    "face_to_face": "Face to face",
    "people_trained": "People trained",
    "by_level": "By level",
    "by_type": "By activity type",
    "by_mode": "By mode",
    "alerts_sent": "Alerts sent",
}
SUMMARY_HEADINGS = ["Period from", "Period to", "Section", "Figure", "Value", "Numerator", "Denominator"]


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def is_rate(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"value", "numerator", "denominator"}


def percent(rate: dict[str, Any]) -> float:
    return round(float(rate["value"]) * 100, 2)


def summary_csv(body: dict[str, Any]) -> str:
    """One row per figure; rates as a percentage with their numerator and denominator."""
    period = [body["period"]["from"], body["period"]["to"]]
    rows = [period + row for section in _SECTIONS for row in _figures(label(section), body[section])]
    as_of = body["as_of"]
    rows += [
        [*period, "Up to date", "Last event applied", as_of["position"], "", ""],
        [*period, "Up to date", "Events not yet applied", as_of["lag"], "", ""],
        [*period, "Up to date", "Updated at", as_of["updated_at"] or "", "", ""],
    ]
    return csv_text(SUMMARY_HEADINGS, rows)


_SECTIONS = ["engagement", "commitments", "training", "feedback", "champions", "opportunities", "notifications"]


def _figures(section: str, figures: dict[str, Any], prefix: str = "") -> Iterator[list[Any]]:
    for key, value in figures.items():
        name = f"{prefix}{label(key)}"
        if is_rate(value):
            yield [section, f"{name} (%)", percent(value), value["numerator"], value["denominator"]]
        elif isinstance(value, dict):
            yield from _figures(section, value, prefix=f"{name}: ")
        else:
            yield [section, name, value, "", ""]


def rows_csv(body: dict[str, Any], columns: list[str], rates: set[str]) -> str:
    """A series: one row per entry of `rows`, led by the period; rates become a percentage column."""
    period = [body["period"]["from"], body["period"]["to"]]
    headings = ["Period from", "Period to"] + [f"{label(k)} (%)" if k in rates else label(k) for k in columns]
    rows = [period + [_cell(entry[k]) for k in columns] for entry in body["rows"]]
    return csv_text(headings, rows)


def _cell(value: Any) -> Any:
    if is_rate(value):
        return percent(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value
