"""Recording an activity in the browser: the form, its errors, never twice, and who may record for what."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Browser, Page, expect
from sample import PERIOD
from web_system import MANAGER, OFFICER, VIEWER, api, eventually, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow
PHONE = {"width": 375, "height": 740}
YEAR = {"from": "2023-04-01", "to": "2024-03-31"}
"""What is recorded here is two years before the other web tests' period (they read the year before it too), so
it changes none of their figures."""


@contextlib.contextmanager
def phone(browser: Browser, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=javascript)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


def stored(system: System, event_type: str) -> list[dict[str, Any]]:
    with api(system, "ingest") as ingest:
        events: list[dict[str, Any]] = ingest.get("/v1/events", params={"limit": 10000}).json()["events"]
    return [e for e in events if e["type"] == event_type]


def coproduced(system: System, service_id: str) -> tuple[int, int]:
    rate = summary(system, {**YEAR, "service_id": service_id})["engagement"]["coproduction_rate"]
    return rate["numerator"], rate["denominator"]


def fill_activity(page: Page, service: str, summary_text: str = "Customers chose the new garden furniture") -> None:
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Which service was it for?").select_option(label=service)
    page.get_by_label("What kind of activity was it?").select_option(label="Environment design")
    page.get_by_label("Face to face").check()
    page.get_by_label("How many customers took part? (optional)").fill("7")
    page.get_by_label("Gardens").check()
    page.get_by_label("What happened?").fill(summary_text)
    page.get_by_label("Customers shared power over the design and the decision with colleagues").check()
    page.get_by_label("Customers delivered it with colleagues, as equals").check()


def test_an_officer_records_an_activity_and_sees_the_figure_move(system: System, page: Page) -> None:
    before = coproduced(system, "nw-2")
    sign_in(page, system.url("web"), OFFICER)
    page.get_by_role("link", name="Record an activity").click()
    expect(page.get_by_role("heading", name="Record an activity")).to_be_visible()
    assert_accessible(page)
    fill_activity(page, "Elm Court")
    page.get_by_role("button", name="Record the activity").click()
    expect(page.get_by_role("heading", name="Activity recorded")).to_be_visible()
    expect(page.get_by_text("Co-producing, at Elm Court")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("See the co-production rate of Elm Court")).click()
    moved = f"{before[0] + 1} of {before[1] + 1} activities co-produced"
    eventually(lambda: page.reload() and None if not page.get_by_text(moved).count() else True, moved, 30)
    page.go_back()
    page.get_by_role("link", name="See the activity and its history").click()
    expect(page.get_by_role("cell", name=OFFICER[0])).to_be_visible()
    expect(page.get_by_role("cell", name="Recorded", exact=True)).to_be_visible()
    [sent] = [e for e in stored(system, "engagement.recorded") if e["data"]["service_id"] == "nw-2"
              and e["data"]["occurred_on"] == "2023-06-12"]
    assert sent["source"].startswith("urn:coprod:web:user:") and OFFICER[0] not in sent["source"]
    assert sent["data"]["level"] == "co_producing" and sent["data"]["topics"] == ["gardens"]
    assert sent["data"]["customers_participating"] == 7


def send_with_mistakes(page: Page, web: str) -> None:
    page.goto(web + "/activities/new")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("How many customers took part? (optional)").fill("lots")
    page.get_by_label("What happened?").fill("Call Jo on 07700 900123 about the garden")
    page.get_by_role("button", name="Record the activity").click()
    summary_box = page.locator(".govuk-error-summary")
    expect(summary_box.get_by_role("link", name="The date the activity took place must be a real date")).to_be_visible()
    expect(page.locator("#customers_participating-error")).to_contain_text("must be a whole number")
    expect(page.locator("#summary-error")).to_contain_text("looks like it holds a phone number")
    expect(page.locator("#service_id-error")).to_contain_text("Choose the service")
    expect(page.get_by_label("What happened?")).to_have_value("Call Jo on 07700 900123 about the garden")
    expect(page.get_by_label("Day")).to_have_value("31")


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_mistakes_are_shown_beside_each_field_with_the_values_kept(
    system: System, browser: Browser, javascript: bool
) -> None:
    before = len(stored(system, "engagement.recorded"))
    with phone(browser, javascript) as page:
        sign_in(page, system.url("web"), OFFICER)
        send_with_mistakes(page, system.url("web"))
        if javascript:  # axe and the page's width are read by script
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            assert_accessible(page)
    assert len(stored(system, "engagement.recorded")) == before


def test_a_form_sent_twice_is_recorded_once(system: System) -> None:
    with signed_in(system, OFFICER) as web:
        form = web.get("/activities/new").text
        event_id = re.search(r'name="event_id" value="([0-9a-f]{32})"', form)
        assert event_id
        fields = {"csrf_token": form_token(form), "event_id": event_id.group(1), "occurred_on-day": "3",
                  "occurred_on-month": "7", "occurred_on-year": "2023", "service_id": "se-1",
                  "activity_type": "meeting", "mode": "virtual", "summary": "Residents' meeting about repairs",
                  "decided": "asked", "delivered": "colleagues"}
        first = web.post("/activities/new", data=fields)
        second = web.post("/activities/new", data={**fields, "summary": "Sent again after a lost connection"})
        assert first.status_code == second.status_code == 303
        assert not first.headers["location"].endswith("already=1")
        assert second.headers["location"].endswith("?already=1")
        again = web.get(second.headers["location"])
    assert "Activity already recorded" in again.text and "nothing was recorded twice" in again.text
    mine = [e for e in stored(system, "engagement.recorded") if e["id"] == event_id.group(1)]
    assert len(mine) == 1 and mine[0]["data"]["summary"] == "Residents' meeting about repairs"


def test_a_manager_records_only_for_their_region(system: System, page: Page) -> None:
    before = len(stored(system, "engagement.recorded"))
    sign_in(page, system.url("web"), MANAGER, then="/activities/new")
    offered = page.get_by_label("Which service was it for?").locator("option").all_inner_texts()
    assert "Oak House" in offered and "Birch Lodge" not in offered
    assert not any("national" in option for option in offered)
    fill_activity(page, "Oak House")
    page.evaluate("document.querySelector('#service_id option[value=\"nw-1\"]').value = 'se-1'")
    answer = page.expect_response(lambda r: r.request.method == "POST")
    with answer as info:
        page.get_by_role("button", name="Record the activity").click()
    assert info.value.status == 403
    expect(page.locator("#service_id-error")).to_contain_text("You cannot record for Birch Lodge")
    assert_accessible(page)
    assert len(stored(system, "engagement.recorded")) == before


def test_a_viewer_records_nothing_and_is_not_offered_to(system: System) -> None:
    with signed_in(system, VIEWER) as web:
        home = web.get("/", params=PERIOD)
        form = web.get("/activities/new")
    assert "Record an activity" not in home.text
    assert form.status_code == 403 and "cannot record activities" in form.text
