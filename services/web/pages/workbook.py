"""Tables as an Excel workbook (openpyxl): a sheet per table, numbers as numbers and rates as percentages."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Cell, Table


def _value(cell: Cell) -> tuple[object, str | None]:
    if isinstance(cell.sort, int | float) and cell.text.endswith("%"):
        return cell.sort, "0.0%"
    if isinstance(cell.sort, int | float) and cell.text.replace(",", "").lstrip("-").isdigit():
        return cell.sort, "#,##0"
    return cell.text, None


def workbook(title: str, tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.caption[:31].replace(":", ""))
        sheet.append([title])
        sheet.append([column.label for column in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_value(cell)[0] for cell in row])
            for target, cell in zip(sheet[sheet.max_row], row, strict=True):
                if (found := _value(cell)[1]) is not None:
                    target.number_format = found
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(2, index).column_letter].width = max(12, len(column.label) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
