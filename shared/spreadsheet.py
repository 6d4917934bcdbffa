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
from datetime import date, datetime
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


Rows = list[tuple[int, dict[str, str | None]]]


def numbered_csv_rows(lines: Iterable[str]) -> Rows:
    """Each data row of a CSV file with the line it starts on (a quoted cell may span lines)."""
    reader = csv.DictReader(lines)
    rows: Rows = []
    previous_end = 1
    for row in reader:
        rows.append((previous_end + 1, {str(k): v for k, v in row.items() if k is not None}))
        previous_end = reader.line_num
    return rows


def numbered_xlsx_rows(content: bytes) -> Rows:
    """Each row of an Excel workbook's first sheet under its heading row, by row number, each cell as the text a
    CSV file would hold (a date as 2025-06-01, a whole number without '.0')."""
    from openpyxl import load_workbook  # only the upload and the import of a workbook need it

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    found = sheet.iter_rows(values_only=True)
    headings = [str(cell).strip() if cell is not None else "" for cell in next(found, ())]
    rows: Rows = []
    for number, values in enumerate(found, start=2):
        cells = {name: _as_text(value) for name, value in zip(headings, values, strict=False) if name}
        if any(cells.values()):
            rows.append((number, cells))
    return rows


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
