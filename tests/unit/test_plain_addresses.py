"""Addresses holding control characters are refused before a route reads them (PostgreSQL's text holds no NUL)."""

import pytest

from shared.plain_addresses import control_character_in


@pytest.mark.parametrize(
    ("path", "query", "found"),
    [
        ("/v1/kpis/summary", b"region=north&from=2025-04-01", None),
        ("/v1/people/caf\u00e9", b"name=caf%C3%A9+au+lait", None),
        ("/v1/people/a\x00b", b"", "path"),
        ("/v1/people/a\nb", b"", "path"),
        ("/v1/kpis/summary", b"service_id=s1%00", "query"),
        ("/v1/kpis/summary", b"region=north%C2%85", "query"),
        ("/v1/kpis/summary", b"to=2025-04-01%0A", "query"),
        ("/v1/kpis/summary", b"region=\x01", "query"),
    ],
)
def test_a_control_character_is_found_in_the_part_that_holds_it(path: str, query: bytes, found: str | None) -> None:
    assert control_character_in({"type": "http", "path": path, "query_string": query}) == found
