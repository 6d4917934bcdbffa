"""Tables of figures that sort by any column through a link (`?sort=TABLE.COLUMN&order=desc`), so no JavaScript
is needed; the header says how the table is sorted (`aria-sort`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from .formatting import count, percent


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    sort: float | str
    href: str | None = None
    detail: str | None = None


def number(value: int, href: str | None = None) -> Cell:
    return Cell(count(value), value, href)


def rate(found: dict[str, Any], href: str | None = None) -> Cell:
    return Cell(percent(found["value"]), found["value"], href,
                f"{count(found['numerator'])} of {count(found['denominator'])}")


def share(numerator: int, denominator: int) -> dict[str, Any]:
    """A rate as projections gives one, for figures the web adds up itself."""
    return {"value": numerator / denominator if denominator else 0.0, "numerator": numerator,
            "denominator": denominator}


def totals_by(rows: list[dict[str, Any]], key: str, fields: tuple[str, ...]) -> dict[Any, dict[str, int]]:
    """Rows added up by one of their columns, in the order the keys first appear."""
    found: dict[Any, dict[str, int]] = {}
    for row in rows:
        into = found.setdefault(row[key], dict.fromkeys(fields, 0))
        for name in fields:
            into[name] += int(row[name])
    return found


def words(text: str, href: str | None = None) -> Cell:
    return Cell(text, text.casefold(), href)


@dataclass(frozen=True)
class Table:
    table_id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    sortable: bool = True
    sorted_by: str | None = None
    descending: bool = False
    params: dict[str, str] = field(default_factory=dict)

    def sort_link(self, column: Column) -> str:
        descending = not self.descending if column.key == self.sorted_by else column.numeric
        wanted = {**self.params, "sort": f"{self.table_id}.{column.key}", "order": "desc" if descending else "asc"}
        return f"?{urlencode(wanted)}#{self.table_id}"

    def aria_sort(self, column: Column) -> str | None:
        if column.key != self.sorted_by:
            return None
        return "descending" if self.descending else "ascending"


def sorted_as_asked(table: Table, request: Request) -> Table:
    """The table in the order the URL asks, if it names this table; others keep their own order."""
    params = {k: v for k, v in request.query_params.items() if k not in ("sort", "order")}
    table = replace(table, params=params)
    wanted = request.query_params.get("sort", "")
    name, _, key = wanted.partition(".")
    keys = [c.key for c in table.columns]
    if name != table.table_id or key not in keys or not table.sortable:
        return table
    index, descending = keys.index(key), request.query_params.get("order") == "desc"
    rows = sorted(table.rows, key=lambda row: _key(row[index].sort), reverse=descending)
    return replace(table, rows=rows, sorted_by=key, descending=descending)


def _key(value: float | str) -> tuple[int, float | str]:
    return (0, value) if isinstance(value, int | float) else (1, value)
