"""The dashboard in a real headless Chromium: signing in as a person does, the tiles against the API, axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from sample import PERIOD
from web_system import OFFICER, summary

from coprod.up import System

pytestmark = pytest.mark.slow


def share(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%" if denominator else "0.0%"


def expected_tiles(figures: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each tile's value and detail as the summary gives them, worked out here independently of the web."""
    e, c, f = figures["engagement"], figures["commitments"], figures["feedback"]
    rate, told, cover = e["coproduction_rate"], e["you_said_we_did"], c["coverage"]
    trained, champions, chances = figures["training"]["people_trained"], figures["champions"], figures["opportunities"]
    return {
        "coproduction_rate": (share(rate["numerator"], rate["denominator"]),
                              f"{rate['numerator']} of {rate['denominator']} activities co-produced"),
        "commitment_coverage": (share(cover["numerator"], cover["denominator"]),
                                f"{cover['numerator']} of {cover['denominator']} services hold a commitment"),
        "people_trained": (str(trained["total"]),
                           f"{trained['customer']} customers, {trained['colleague']} colleagues"),
        "you_said_we_did": (share(told["numerator"], told["denominator"]),
                            f"{told['numerator']} of {told['denominator']} activities (consulting or above) with an"
                            " outcome told back"),
        "feedback_answered": (share(f["responded"], f["received"]),
                              f"{f['responded']} of {f['received']} pieces of feedback answered"),
        "champions": (str(champions["total"]),
                      f"{champions['customer']} customers, {champions['colleague']} colleagues"),
        "open_opportunities": (str(chances["open"]),
                               f"{chances['open']} of {chances['published']} published are open"),
    }


def shown_tiles(page: Page) -> dict[str, tuple[str, str]]:
    found = {}
    for tile in page.locator("[data-tile]").all():
        key = tile.get_attribute("data-tile") or ""
        found[key] = (tile.locator(".coprod-tile__value").inner_text().strip(),
                      tile.locator(".coprod-tile__detail").inner_text().strip())
    return found


def test_signing_in_through_the_browser_shows_the_summarys_figures_for_the_same_question(
    page: Page, system: System
) -> None:
    web = system.url("web")
    sign_in(page, web, OFFICER, then=f"/?from={PERIOD['from']}&to={PERIOD['to']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-production at a glance")
    assert shown_tiles(page) == expected_tiles(summary(system, PERIOD))
    page.get_by_label("Region").select_option(label="North west")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**region=north_west**")
    narrowed = summary(system, {**PERIOD, "region": "north_west"})
    assert narrowed["engagement"]["activities"] != summary(system, PERIOD)["engagement"]["activities"]
    assert shown_tiles(page) == expected_tiles(narrowed)
    assert_accessible(page)


def test_the_sign_in_page_and_its_mistakes_are_accessible(page: Page, system: System) -> None:
    page.goto(system.url("web", "/sign-in"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    assert_accessible(page)
    page.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email")).to_be_focused()


def test_sign_in_and_home_work_by_keyboard_alone(page: Page, system: System) -> None:
    page.goto(system.url("web", "/"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email").focus()
    page.keyboard.type(OFFICER[0])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(OFFICER[1])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-production at a glance")


def test_a_refusal_is_a_plain_accessible_page(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then="/?region=atlantis")
    expect(page.get_by_role("heading", level=1)).to_have_text("Those figures cannot be shown")
    assert_accessible(page)


def test_the_co_production_tiles_numbers_open_the_activities_they_count(page: Page, system: System) -> None:
    rate = summary(system, PERIOD)["engagement"]["coproduction_rate"]
    sign_in(page, system.url("web"), OFFICER, then=f"/?from={PERIOD['from']}&to={PERIOD['to']}")
    tile = page.locator("[data-tile=coproduction_rate]")
    tile.get_by_role("link", name=str(rate["numerator"]), exact=True).click()
    assert "level=co_producing" in page.url and f"from={PERIOD['from']}" in page.url
    expect(page.locator("main table tbody tr")).to_have_count(rate["numerator"])
    page.go_back()
    page.locator("[data-tile=coproduction_rate]").get_by_role("link", name=str(rate["denominator"]), exact=True).click()
    expect(page.locator("main table tbody tr")).to_have_count(rate["denominator"])
    assert_accessible(page)
