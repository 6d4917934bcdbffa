"""Cells for CSV files a person opens in a spreadsheet: text that a spreadsheet would run as a formula is defused.

OWASP's advice on CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
prefixed with a single quote, which spreadsheets show as text and do not evaluate. Numbers (and text that is
just a number, such as `-3` or `+1.5`) are left as they are, so negative figures stay figures.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet should show it: text that could start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_text(headings: Sequence[Any], rows: Iterable[Iterable[Any]], lineterminator: str = "\r\n") -> str:
    """A whole CSV file, every cell (headings too) through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(safe_row(headings))
    writer.writerows(safe_row(row) for row in rows)
    return out.getvalue()
