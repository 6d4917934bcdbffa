"""A page of figures left open shows a new record without being reloaded (live.js), and says it was updated."""

from __future__ import annotations

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from sample import activity
from web_system import OFFICER, send, unique_letters

from coprod.up import System

pytestmark = pytest.mark.slow
AFAR = "from=2023-01-01&to=2023-12-31"  # a year no other test counts in, so their figures stay as they were


def test_a_new_activity_appears_on_the_open_register_without_a_reload(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/activities?{AFAR}")
    page.evaluate("window.loadedOnce = true")
    new = activity("live-" + unique_letters(12), "nw-1", "co_producing", "2023-06-01")
    new["data"]["summary"] = "Customers chose the new paint colours"
    page.wait_for_timeout(600)  # live.js has read where the figures stood
    send(system, [new])
    expect(page.get_by_text("Customers chose the new paint colours")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("The figures were updated at")
    assert page.evaluate("window.loadedOnce === true"), "the page was reloaded"
    assert_accessible(page)
