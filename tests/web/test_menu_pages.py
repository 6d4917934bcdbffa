"""The public Menu of Involvement in a real Chromium: no sign-in, filters without JavaScript, easy read, large print,
each opportunity's own page, and the poster whose QR codes open those pages."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import zxingcpp
from browser import assert_accessible, sign_in
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect
from test_web_figures import row_of
from web_system import OFFICER, api, event, eventually, send, unique_letters

from coprod.up import System

pytestmark = pytest.mark.slow
RUN = unique_letters(6)
TODAY = date.today()
PUBLISHED = f"{TODAY - timedelta(days=2)}T10:00:00Z"  # this financial year, which no other web test reads
CLOSES = str(TODAY + timedelta(days=30))
GARDEN, STRATEGY, PANEL, SHUT = (f"menu-{name}-{RUN}" for name in ("garden", "strategy", "panel", "shut"))


def opportunities() -> list[dict[str, Any]]:
    common = {"closes_on": CLOSES}
    return [
        event("opportunity.published", {
            "opportunity_id": GARDEN, "title": f"Plan the garden {RUN}", "summary": "Choose the plants with us.",
            "scope": "service", "service_id": "nw-1", "open_to": "customers", "mode": "face_to_face",
            "topics": ["environment"], "starts_at": f"{CLOSES}T14:00:00+00:00", "places": 6,
            "location": "The lounge at Oak House", "accessibility_support": "Step-free room and a hearing loop",
            "expenses_paid": True, "how_to_take_part": "Tell the staff at Oak House", **common}, PUBLISHED),
        event("opportunity.published", {
            "opportunity_id": STRATEGY, "title": f"Shape the national strategy {RUN}", "summary": "Meet online.",
            "scope": "national", "mode": "virtual", "topics": ["strategy"], "customer_group_meeting": True,
            **common}, PUBLISHED),
        event("opportunity.published", {
            "opportunity_id": PANEL, "title": f"Recruit a manager {RUN}", "summary": "Sit on the panel.",
            "scope": "regional", "region": "south_east", "open_to": "colleagues", "mode": "hybrid", **common},
            PUBLISHED),
        event("opportunity.published", {
            "opportunity_id": SHUT, "title": f"Closed already {RUN}", "summary": "Full.", "scope": "national",
            **common}, PUBLISHED),
        event("opportunity.closed", {"opportunity_id": SHUT, "closed_on": str(TODAY - timedelta(days=1))},
              PUBLISHED),
    ]


@pytest.fixture(scope="module")
def menu(system: System) -> System:
    send(system, opportunities())

    def listed() -> bool | None:
        with api(system, "projections") as projections:
            found = projections.get("/v1/menu").json()
            closed = projections.get(f"/v1/menu/{SHUT}")
        shown = {row["opportunity_id"] for row in found.get("rows", [])}
        return ({GARDEN, STRATEGY, PANEL} <= shown and closed.status_code == 200) or None

    eventually(listed, "the opportunities are on the menu")
    return system


@pytest.fixture
def no_script(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 800}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def cards(page: Page) -> list[str]:
    return page.locator(".coprod-menu-item h3").all_inner_texts()


def mine(titles: list[str]) -> list[str]:
    return sorted(t.removesuffix(f" {RUN}") for t in titles if t.endswith(RUN))


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_anyone_can_open_the_menu_and_filter_it_on_a_phone_without_javascript(menu: System, no_script: Page) -> None:
    page = no_script
    answer = page.goto(menu.url("web", "/menu"))
    assert answer is not None and answer.status == 200 and "/sign-in" not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Menu of Involvement")
    assert mine(cards(page)) == ["Plan the garden", "Recruit a manager", "Shape the national strategy"]
    garden = page.locator(".coprod-menu-item").filter(has_text="Plan the garden")
    for shown in ("Step-free room and a hearing loop", "Paid: travel and other costs", "6 of 6 left",
                  "In person: The lounge at Oak House", "Customers at Oak House", "at 2pm",
                  "Say you are interested by"):
        expect(garden).to_contain_text(shown)
    assert fits_the_screen(page)
    page.get_by_label("Region").select_option("north_west")
    page.get_by_role("button", name="Show opportunities").click()
    assert mine(cards(page)) == ["Plan the garden", "Shape the national strategy"]  # national ones are everywhere
    page.get_by_label("How it happens").select_option("virtual")
    page.get_by_role("button", name="Show opportunities").click()
    assert mine(cards(page)) == ["Shape the national strategy"]
    page.goto(menu.url("web", "/menu?open_to=colleagues&topic=environment"))
    assert mine(cards(page)) == []
    expect(page.locator("main")).to_contain_text("no open opportunities that match")
    page.goto(menu.url("web", "/menu?topic=environment"))
    assert mine(cards(page)) == ["Plan the garden"]


def test_every_version_of_the_menu_is_accessible_and_none_asks_for_a_password(menu: System, page: Page) -> None:
    for path in ("/menu", "/menu/easy-read", "/menu/large-print", "/menu/poster", f"/menu/opportunities/{GARDEN}",
                 f"/menu/opportunities/{GARDEN}/easy-read", f"/menu/opportunities/{GARDEN}/large-print",
                 f"/menu/opportunities/{SHUT}"):
        page.goto(menu.url("web", path))
        assert_accessible(page)
        assert page.locator("input[type=password]").count() == 0, path
    page.set_viewport_size({"width": 320, "height": 640})  # a small phone, or 400% zoom
    for path in ("/menu", "/menu/easy-read", "/menu/large-print", "/menu/poster",
                 f"/menu/opportunities/{GARDEN}/large-print"):
        page.goto(menu.url("web", path))
        assert fits_the_screen(page), f"{path} scrolls sideways at 320 px"
    plain = httpx.get(menu.url("web", "/menu"), timeout=30)
    assert plain.status_code == 200 and "set-cookie" not in plain.headers
    refused = httpx.get(menu.url("web", "/menu?mode=rocket"), timeout=30)
    assert refused.status_code == 400 and "must be one of face_to_face" in refused.text


def test_large_print_is_large_and_easy_read_puts_a_picture_beside_each_short_sentence(
    menu: System, page: Page
) -> None:
    page.goto(menu.url("web", "/menu/large-print"))
    size = page.locator(".coprod-menu-item .govuk-summary-list").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 24
    page.goto(menu.url("web", "/menu/easy-read"))
    card = page.locator(".coprod-easy-card").filter(has_text=f"Plan the garden {RUN}")
    expect(card).to_contain_text("We pay your costs, like bus fares.")
    expect(card).to_contain_text("You go to The lounge at Oak House.")
    items = card.locator(".coprod-easy-item")
    assert items.count() >= 7
    for item in items.all():
        src = item.locator("img").get_attribute("src")
        assert src and src.startswith("/static/web/icons/")
        assert item.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")  # vendored, and it loads
    body = float(items.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert body >= 24


def test_each_opportunity_has_a_page_saying_how_to_take_part_without_a_password(menu: System, page: Page) -> None:
    page.goto(menu.url("web", "/menu"))
    page.get_by_role("link", name=f"Plan the garden {RUN}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan the garden {RUN}")
    expect(page.locator("main")).to_contain_text("Tell the staff at Oak House")
    expect(page.locator("main")).to_contain_text("You do not need an account or a password")
    page.goto(menu.url("web", f"/menu/opportunities/{STRATEGY}"))
    expect(page.locator("main")).to_contain_text("A meeting of the national C&S Customer Group")
    page.goto(menu.url("web", f"/menu/opportunities/{SHUT}"))
    expect(page.locator("main")).to_contain_text("This opportunity has closed")
    missing = page.goto(menu.url("web", "/menu/opportunities/no-such-thing"))
    assert missing is not None and missing.status == 404
    expect(page.locator("main")).to_contain_text("no-such-thing")


def scanned(item: Locator) -> list[str]:
    png = item.locator("svg.coprod-qr").screenshot()
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_poster_prints_on_a4_and_each_qr_code_opens_its_opportunitys_page(menu: System, page: Page) -> None:
    page.goto(menu.url("web", "/menu/poster"))
    page.get_by_label("Your scheme or service").select_option(label="Oak House")
    page.get_by_role("button", name="Show on the poster").click()
    item = page.locator(".coprod-poster__item").filter(has_text=f"Plan the garden {RUN}")
    wanted = menu.url("web", f"/menu/opportunities/{GARDEN}")
    expect(item).to_contain_text(wanted)
    assert scanned(item) == [wanted]
    printed = page.pdf(prefer_css_page_size=True)  # the print stylesheet's page size, as Chromium prints it
    width, height = (float(n) for n in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", printed)[0])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in millimetres
    page.emulate_media(media="print")
    expect(page.locator("form.coprod-filters")).to_be_hidden()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(item.locator("svg.coprod-qr")).to_be_visible()
    assert scanned(item) == [wanted]  # whole on paper too
    assert page.locator(".coprod-poster__item").filter(has_text=f"Recruit a manager {RUN}").count() == 0


def test_the_dashboards_opportunities_page_gives_the_customer_groups_figures(menu: System, page: Page) -> None:
    year = {"from": f"{TODAY.year - (TODAY.month < 4)}-04-01", "to": f"{TODAY.year + (TODAY.month >= 4)}-03-31"}
    sign_in(page, menu.url("web"), OFFICER, then=f"/opportunities?from={year['from']}&to={year['to']}")
    with api(menu, "projections") as projections:
        found = projections.get("/v1/kpis/customer-group", params=year).json()
    assert found["national_opportunities"]["group_meetings"] >= 1
    for figure, value in (("National opportunities published", found["national_opportunities"]["published"]),
                          ("National opportunities that were Customer Group meetings",
                           found["national_opportunities"]["group_meetings"]),
                          ("National opportunities to join online (virtual or hybrid)",
                           found["national_opportunities"]["virtual_or_hybrid"]),
                          ("Sign-ups by members of the Customer Group", found["sign_ups"]["group_members"])):
        assert row_of(page, "customer-group", figure)[1] == str(value)
    assert_accessible(page)
    page.get_by_role("link", name="poster to print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poster to print")
