"""What every page is asked in its URL: the period and the filters, read plainly or refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from shared.events.base import FIRST_DAY, LAST_DAY

FILTERS = ("region", "service_id", "service_type")


class BadQuery(Exception):
    """A value in the URL that cannot be used; the message names it (400)."""


def financial_year(on: date) -> tuple[date, date]:
    """April to March, as projections counts by default."""
    first = on.year if on.month >= 4 else on.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


@dataclass(frozen=True)
class Query:
    start: date
    end: date
    region: str | None = None
    service_id: str | None = None
    service_type: str | None = None

    def params(self) -> dict[str, str]:
        """The same question for projections' API."""
        found = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        found.update({name: value for name in FILTERS if (value := getattr(self, name))})
        return found

    def link(self, path: str, **extra: Any) -> str:
        pairs = {**self.params(), **{k: v for k, v in extra.items() if v is not None}}
        return f"{path}?{urlencode(pairs)}"

    def with_changes(self, **changes: Any) -> Query:
        return replace(self, **changes)

    def year_before(self) -> Query:
        return replace(self, start=_year_before(self.start), end=_year_before(self.end))

    @property
    def national(self) -> bool:
        return not any(getattr(self, name) for name in FILTERS)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _date(name: str, label: str, raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(f"The {label} date must be written like 2025-04-01, not {raw[:40]!r}.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadQuery(f"The {label} date must be from {FIRST_DAY:%-d %B %Y} to {LAST_DAY:%-d %B %Y}, not {day}.")
    return day


def query_of(request: Request, today: date | None = None) -> Query:
    asked = request.query_params
    first, last = financial_year(today or date.today())
    start = _date("from", "from", asked.get("from")) or first
    end = _date("to", "to", asked.get("to")) or last
    if start > end:
        raise BadQuery(f"The from date ({start:%-d %B %Y}) is after the to date ({end:%-d %B %Y}).")
    filters = {name: (asked.get(name) or "").strip() or None for name in FILTERS}
    return Query(start, end, **filters)
