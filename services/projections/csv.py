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
CONTEXT_HEADINGS = ["Period from", "Period to", "As at", "Region", "Service", "Service type"]
"""What every row is about: the period, the day status figures are judged on, and the filters it was made with."""
SUMMARY_HEADINGS = [*CONTEXT_HEADINGS, "Section", "Figure", "Value", "Numerator", "Denominator"]
FILTERS = ("region", "service_id", "service_type")


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def is_rate(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"value", "numerator", "denominator"}


def percent(rate: dict[str, Any]) -> float:
    return round(float(rate["value"]) * 100, 2)


def summary_csv(body: dict[str, Any]) -> str:
    """One row per figure; rates as a percentage with their numerator and denominator."""
    rows = [_context(body, section) + row for section in _SECTIONS for row in _figures(label(section), body[section])]
    as_of, context = body["as_of"], _context(body, None)
    rows += [
        [*context, "Up to date", "Last event applied", as_of["position"], "", ""],
        [*context, "Up to date", "Events not yet applied", as_of["lag"], "", ""],
        [*context, "Up to date", "Updated at", as_of["updated_at"] or "", "", ""],
    ]
    return csv_text(SUMMARY_HEADINGS, rows)


def _context(body: dict[str, Any], section: str | None) -> list[Any]:
    """The period, `as_at` and each filter: its value, or `all`, saying so when given but not narrowing these
    figures (`filters_not_applied`: per section in the summary, for the whole answer in a series)."""
    unused = body.get("filters_not_applied") or []
    not_applied = unused.get(section, []) if isinstance(unused, dict) else unused
    filters = body.get("filters") or {}
    cells = [_filter_cell(name, filters.get(name), name in not_applied) for name in FILTERS]
    return [body["period"]["from"], body["period"]["to"], body.get("as_at", ""), *cells]


def _filter_cell(name: str, value: str | None, not_applied: bool) -> str:
    if value is None:
        return "all"
    return f"all ({name.replace('_', ' ')} {value} does not narrow these figures)" if not_applied else value


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


def figures_csv(body: dict[str, Any], section: str, keys: list[str]) -> str:
    """One section's figures, one row each, as the summary has them."""
    context = _context(body, None)
    return csv_text(SUMMARY_HEADINGS, [context + row for row in _figures(section, {k: body[k] for k in keys})])


def rows_csv(body: dict[str, Any], columns: list[str], rates: set[str]) -> str:
    """A series: one row per entry of `rows`, led by the period and filters; rates become a percentage column."""
    context = _context(body, None)
    headings = CONTEXT_HEADINGS + [f"{label(k)} (%)" if k in rates else label(k) for k in columns]
    rows = [context + [_cell(entry.get(k)) for k in columns] for entry in body["rows"]]
    return csv_text(headings, rows)


def _cell(value: Any) -> Any:
    if is_rate(value):
        return percent(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


WHOLE_PERIOD = "Whole period (not the sum of the rows above)"


def training_csv(body: dict[str, Any], columns: list[str]) -> str:
    """The training series, and a last row of the whole period's sessions and distinct people: the rows above
    cannot be summed to it (a session has customers and colleagues; a person may come in several months)."""
    totals = body["totals"]
    whole = {"month": WHOLE_PERIOD, "mode": "all", "role": "everyone", "sessions": totals["sessions"],
             "people_trained": totals["people_trained"]["total"]}
    return rows_csv({**body, "rows": [*body["rows"], whole]}, columns, set())
