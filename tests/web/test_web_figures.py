"""The figure pages in a real Chromium: the API's numbers, axe-clean, by keyboard, at 400% zoom, within limits."""

from __future__ import annotations

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from sample import PERIOD
from web_system import MANAGER, OFFICER, VIEWER, api

from coprod.up import System

pytestmark = pytest.mark.slow
PAGES = {"/trends": "Trends", "/where": "Where", "/commitments": "Commitments", "/training": "Training",
         "/feedback": "Feedback", "/opportunities": "Opportunities", "/activities": "Activities",
         "/board-pack/easy-read": "How we worked together this quarter"}
ASKED = f"from={PERIOD['from']}&to={PERIOD['to']}"


def row_of(page: Page, table: str, first_cell: str) -> list[str]:
    row = page.locator(f"#{table} tbody tr").filter(has=page.get_by_role("rowheader", name=first_cell, exact=True))
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def kpis(system: System, path: str, **params: str) -> dict[str, object]:
    with api(system, "projections") as projections:
        answer = projections.get(f"/v1/kpis/{path}", params={**PERIOD, **params})
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_every_figure_page_is_accessible_and_labels_its_charts(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/trends?{ASKED}")
    for path, title in PAGES.items():
        page.goto(system.url("web", f"{path}?{ASKED}"))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(page)
        for chart in page.locator("svg.coprod-chart").all():
            assert chart.get_attribute("role") == "img"
            assert chart.locator("title").text_content() and chart.locator("desc").text_content()


def test_trends_show_the_apis_rate_for_each_month_and_a_year_before(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/trends?{ASKED}&region=north_west")
    months = kpis(system, "coproduction", group_by="month", region="north_west")["rows"]
    june = next(row for row in months if row["month"] == "2025-06")  # type: ignore[attr-defined]
    rate = june["coproduction_rate"]
    shown = row_of(page, "rate-month", "June 2025")
    assert shown[1] == f"{rate['value'] * 100:.1f}%\n{rate['numerator']} of {rate['denominator']}"
    year_before = {"from": "2024-04-01", "to": "2025-03-31"}
    with api(system, "projections") as projections:
        earlier = projections.get("/v1/kpis/coproduction", params={**year_before, "group_by": "month",
                                                                    "region": "north_west"}).json()["rows"]
    then = next(row for row in earlier if row["month"] == "2024-06")["coproduction_rate"]
    assert shown[2] == f"{then['value'] * 100:.1f}%\n{then['numerator']} of {then['denominator']}"


def test_where_sorts_by_a_column_heading_by_keyboard_alone(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/where?{ASKED}")
    heading = page.locator("#where-region").get_by_role("link", name="Activities")
    heading.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=where-region.activities**")
    expect(page.locator("#where-region th[aria-sort=descending]")).to_contain_text("Activities")
    regions = page.locator("#where-region tbody th").all_inner_texts()
    assert regions == ["North west", "South east"]  # 5 activities, then 4
    page.locator("#where-region").get_by_role("link", name="Activities").click()
    expect(page.locator("#where-region tbody th").first).to_have_text("South east")
    names = page.locator("#where-service tbody th").all_inner_texts()
    assert set(names) == {"Oak House", "Elm Court", "Birch Lodge"}


def test_commitments_put_services_without_one_first_then_reviews_due(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/commitments?{ASKED}")
    assert page.locator("#without tbody th").all_inner_texts() == ["Elm Court", "Birch Lodge"]
    assert page.locator("#due-soon tbody th").all_inner_texts() == ["Oak House"]  # due 1 May 2026, within 60 days
    expect(page.locator("#due-now tbody")).to_contain_text("Nothing recorded")
    figures = page.locator(".coprod-figure")
    assert figures.first.locator("table").get_attribute("id") == "without"


def test_training_feedback_and_opportunities_show_the_apis_numbers(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/training?{ASKED}")
    assert row_of(page, "trained", "September 2025")[1:] == ["2", "1"]
    assert row_of(page, "modules", "Co-production 101")[1:] == ["1", "2", "1", "3"]
    page.goto(system.url("web", f"/feedback?{ASKED}"))
    assert row_of(page, "kinds", "Suggestion")[1:3] == ["1", "100.0%\n1 of 1"]
    assert row_of(page, "kinds", "Complaint")[1:3] == ["1", "0.0%\n0 of 1"]
    page.goto(system.url("web", f"/opportunities?{ASKED}"))
    assert row_of(page, "opportunities", "Join the interview panel")[1] == "North west region"


def test_pages_fit_a_narrow_window_as_at_400_percent_zoom(page: Page, system: System) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, system.url("web"), OFFICER, then=f"/where?{ASKED}")
    for path in PAGES:
        page.goto(system.url("web", f"{path}?{ASKED}"))
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} scrolls sideways at 320 px: {width}"


@pytest.mark.parametrize("path", list(PAGES))
def test_a_manager_cannot_see_another_regions_figures_by_editing_the_url(
    page: Page, system: System, path: str
) -> None:
    sign_in(page, system.url("web"), MANAGER, then=f"{path}?{ASKED}&region=south_east")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see those figures")
    page.goto(system.url("web", f"{path}?{ASKED}&service_id=se-1"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see those figures")
    page.goto(system.url("web", f"{path}?{ASKED}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGES[path])
    main = page.locator("main").inner_text()
    assert "Birch Lodge" not in main and "South east" not in main and "repairs" not in main.lower()


def test_a_viewer_sees_no_figures_by_region_or_service(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), VIEWER, then=f"/where?{ASKED}")
    expect(page.locator("main")).to_contain_text("Your account sees national figures only")
    assert page.locator("#where-region").count() == 0


def test_numbers_link_to_the_activities_behind_them(page: Page, system: System) -> None:
    sign_in(page, system.url("web"), OFFICER, then=f"/trends?{ASKED}")
    page.locator("#rate-quarter").get_by_role("link", name="33.3%").first.click()  # 2025-26 Q1: 3 of 9 co-produced
    expect(page.get_by_role("heading", level=1)).to_have_text("Activities")
    assert "level=co_producing" in page.url and "to=2025-06-30" in page.url
    assert page.locator("#activities tbody th").count() == 3
    assert set(page.locator("#activities tbody td:nth-child(4)").all_inner_texts()) == {"Co-producing"}
    page.goto(system.url("web", f"/where?{ASKED}"))
    page.locator("#where-service tbody tr").filter(has_text="Oak House").get_by_role("link").first.click()
    services = page.locator("#activities tbody td:nth-child(2)").all_inner_texts()
    assert services == ["Oak House"] * 3
    expect(page.locator("#activities")).to_contain_text("We moved the meetings to the afternoon")
    expect(page.locator("#activities")).to_contain_text("Customers planned the garden with us")
    first = page.locator("#activities tbody th a").first.get_attribute("href") or ""
    assert first.startswith("/activities/nw-1-")  # each activity opens on its own page
