"""The months and financial quarters a period covers, labelled as projections labels them and as people read them."""

from __future__ import annotations

from datetime import date

from .query import Query


def months(start: date, end: date) -> list[tuple[int, int]]:
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_name(year: int, month: int) -> str:
    return f"{date(year, month, 1):%B %Y}"


def quarter_key(year: int, month: int) -> str:
    first = year if month >= 4 else year - 1
    return f"{first}-{(first + 1) % 100:02d} Q{(month - 4) % 12 // 3 + 1}"


def buckets(query: Query, by: str) -> list[str]:
    """Every month (or quarter) of the period in order, as projections names them, empty ones included."""
    keyed = month_key if by == "month" else quarter_key
    return list(dict.fromkeys(keyed(y, m) for y, m in months(query.start, query.end)))


def bucket_name(key: str, by: str) -> str:
    if by == "month":
        year, month = key.split("-")
        return month_name(int(year), int(month))
    return key


def bucket_range(key: str, by: str) -> tuple[date, date]:
    """The first and last day of a month or financial quarter, for links to its activities."""
    if by == "month":
        year, month = (int(part) for part in key.split("-"))
        first = date(year, month, 1)
    else:
        start_year, quarter = int(key[:4]), int(key[-1])
        month = 4 + 3 * (quarter - 1)
        first = date(start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    span = 1 if by == "month" else 3
    after_month = first.month - 1 + span
    after = date(first.year + after_month // 12, after_month % 12 + 1, 1)
    return first, date.fromordinal(after.toordinal() - 1)
