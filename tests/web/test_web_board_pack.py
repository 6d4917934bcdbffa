"""The board pack: the quarter's headlines as the API gives them, printable, and the same tables as a workbook."""

from __future__ import annotations

import io

import pytest
from browser import assert_accessible, sign_in
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from web_system import OFFICER, summary

from coprod.up import System

pytestmark = pytest.mark.slow
ASKED = "from=2025-04-01&to=2025-06-30"  # the pack is of the quarter holding the last day: April to June 2025


def test_the_board_pack_prints_and_downloads_the_quarters_figures(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/board-pack?{ASKED}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025-26 Q1")
    quarter = summary(system, {"from": "2025-04-01", "to": "2025-06-30"})
    year_before = summary(system, {"from": "2024-04-01", "to": "2024-06-30"})
    activities = page.locator("#headlines tbody tr").filter(has_text="Activities").locator("td").all_inner_texts()
    assert activities[0] == str(quarter["engagement"]["activities"])
    assert activities[2] == str(year_before["engagement"]["activities"])
    expect(page.locator("#told")).to_contain_text("We moved the meetings to the afternoon")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("form.coprod-filters")).to_be_hidden()
    expect(page.locator("#headlines")).to_be_visible()
    with page.expect_download() as downloading:
        page.emulate_media(media="screen")
        page.get_by_role("link", name="Download the pack as an Excel workbook").click()
    book = load_workbook(io.BytesIO(downloading.value.path().read_bytes()))
    assert book.sheetnames == ["Headlines", "Regions", "Commitments due for review by 2", "You said, we did"]
    rows = {row[0]: row for row in book["Headlines"].iter_rows(min_row=3, values_only=True)}
    assert rows["Activities"][1] == quarter["engagement"]["activities"]
    assert rows["Co-production rate"][1] == pytest.approx(quarter["engagement"]["coproduction_rate"]["value"])
    assert book["Headlines"]["B4"].number_format == "0.0%"


def test_the_easy_read_pack_says_the_quarters_figures_in_short_sentences(page: Page, system: System) -> None:
    figures = summary(system, {"from": "2025-04-01", "to": "2025-06-30"})
    before = summary(system, {"from": "2025-01-01", "to": "2025-03-31"})
    sign_in(page, system.url("web"), OFFICER, then=f"/board-pack?{ASKED}")
    page.get_by_role("link", name="the pack in easy read").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we worked together this quarter")
    e = figures["engagement"]
    in_100 = round(e["coproduction_rate"]["value"] * 100)
    was = round(before["engagement"]["coproduction_rate"]["value"] * 100)
    expect(page.get_by_text(f"We did {e['activities']} things with customers this quarter.")).to_be_visible()
    expect(page.get_by_text(f"Customers helped to run {in_100} out of every 100 of them. "
                            f"Last quarter it was {was} out of 100.")).to_be_visible()
    expect(page.get_by_text("We did: We moved the meetings to the afternoon")).to_be_visible()
    assert_accessible(page)
    font = page.locator(".coprod-easy-item").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 24, f"easy read is large type, not {font}px"
