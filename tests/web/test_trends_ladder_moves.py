"""Trends names the services that moved up the ladder quarter on quarter, as projections counted them."""

from __future__ import annotations

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from sample import activity
from web_system import OFFICER, eventually, send, unique_letters

from coprod.up import System

pytestmark = pytest.mark.slow
ASKED = "from=2022-01-01&to=2022-06-30"  # a year no other test counts in


def test_a_service_that_climbed_the_ladder_is_shown_as_moved_up(page: Page, system: System) -> None:
    made = [activity(f"moves-{unique_letters(12)}", "nw-1", level, on)
            for level, on in (("informing", "2022-02-01"), ("informing", "2022-03-01"), ("co_producing", "2022-05-01"))]
    send(system, made)
    sign_in(page, system.url("web"), OFFICER, then=f"/trends?{ASKED}")
    table = page.locator("#moves")
    eventually(lambda: (page.reload(), "Up" in table.inner_text())[1] or None, "the moves are counted", 30)
    expect(table.locator("caption")).to_contain_text("from 2021-22 Q4 to 2022-23 Q1: 1 of 1")
    # Oak House opened in 2024, so for 2022 the filters know it only by its id
    row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="nw-1", exact=True))
    assert [c.strip() for c in row.locator("th, td").all_inner_texts()] == ["nw-1", "2.0", "6.0", "1", "Up"]
    assert_accessible(page)
