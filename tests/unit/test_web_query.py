"""The dashboard's period, read from its URL: days outside 1900-2199 are refused in plain words (0001-01-01 once
failed working out the year before)."""

from datetime import date

import pytest
from starlette.requests import Request

from services.web.pages.query import BadQuery, query_of


def _asked(query: bytes) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query, "headers": []})


@pytest.mark.parametrize("query", [b"from=0001-01-01", b"to=9999-12-31", b"from=1899-12-31&to=2025-01-01"])
def test_a_day_past_the_bounds_is_refused_naming_them(query: bytes) -> None:
    with pytest.raises(BadQuery, match="from 1 January 1900 to 31 December 2199"):
        query_of(_asked(query), today=date(2025, 6, 1))


def test_the_bounds_themselves_are_taken() -> None:
    asked = query_of(_asked(b"from=1900-01-01&to=2199-12-31"), today=date(2025, 6, 1))
    assert (asked.start, asked.end) == (date(1900, 1, 1), date(2199, 12, 31))
