"""Commitments, services and the Menu of Involvement recorded in the browser, each moving its figure; a manager
refused outside their region. What is recorded here is dated in 2023 (or undone before the test ends), so the other
web tests' figures stay as they were."""

from __future__ import annotations

import re
from datetime import date

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Browser, Page, expect
from test_record_activity import YEAR, phone, stored
from web_system import MANAGER, OFFICER, eventually, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow
TODAY = date.today()


def this_year() -> dict[str, str]:
    """This financial year to today, asked afresh: a run that passes midnight must count today's events."""
    today = date.today()
    return {"from": f"{today.year if today.month >= 4 else today.year - 1}-04-01", "to": today.isoformat()}


def fill_date(page: Page, name: str, on: str) -> None:
    year, month, day = on.split("-")
    page.locator(f"#{name}-day").fill(day)
    page.locator(f"#{name}-month").fill(month)
    page.locator(f"#{name}-year").fill(year)


def commitments(system: System) -> tuple[int, int]:
    found = summary(system, {**YEAR, "service_id": "se-1"})["commitments"]
    return found["services_with_commitment"], found["due_for_review"]


def confirmed(page: Page, heading: str, event_type: str) -> None:
    """The confirmation links to the figure it changes and to what was recorded, which shows the event."""
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)
    figure = page.get_by_role("link", name=re.compile("^See the .* (it changes|it counts in)$"))
    assert (figure.get_attribute("href") or "").startswith("/")
    page.get_by_role("link", name="See what was recorded").click()
    expect(page.get_by_role("heading", name="What was recorded")).to_be_visible()
    assert event_type in page.content()
    assert_accessible(page)


def test_an_officer_signs_renews_and_lapses_a_commitment(system: System, page: Page) -> None:
    before = commitments(system)
    sign_in(page, system.url("web"), OFFICER, then="/commitments/signed")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#service_id-error")).to_contain_text("Choose the service the commitment is for")
    assert_accessible(page)
    page.get_by_label("Which service is it for?").select_option(label="Birch Lodge")
    fill_date(page, "signed_on", "2023-05-01")
    page.get_by_label("How many customers signed it? (optional)").fill("lots")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#customers_signed-error")).to_contain_text("must be a whole number")
    expect(page.get_by_label("Which service is it for?")).to_have_value("se-1")
    assert_accessible(page)
    page.get_by_label("How many customers signed it? (optional)").fill("9")
    page.get_by_role("button", name="Record it").click()
    confirmed(page, "Commitment signed recorded", "commitment.signed")
    eventually(lambda: commitments(system)[0] == before[0] + 1 or None, "the commitment is counted", 30)
    [signed] = [e for e in stored(system, "commitment.signed") if e["data"]["service_id"] == "se-1"]
    assert signed["data"]["customers_signed"] == 9 and signed["source"].startswith("urn:coprod:web:user:")

    page.goto(system.url("web") + "/commitments/renewed")
    page.get_by_label("Which service is it for?").select_option(label="Birch Lodge")
    fill_date(page, "renewed_on", "2023-09-01")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#review_due_on-error")).to_contain_text("Enter the date it is due for review")
    assert_accessible(page)
    fill_date(page, "review_due_on", "2024-01-01")
    page.get_by_role("button", name="Record it").click()
    confirmed(page, "Commitment renewed recorded", "commitment.renewed")
    eventually(lambda: commitments(system) == (before[0] + 1, before[1] + 1) or None, "its review is due", 30)

    page.goto(system.url("web") + "/commitments/lapsed")
    page.get_by_label("Which service is it for?").select_option(label="Birch Lodge")
    fill_date(page, "lapsed_on", "2023-12-01")
    page.get_by_label("Why did it lapse?").fill("The customer group stopped meeting over the winter")
    page.get_by_role("button", name="Record it").click()
    confirmed(page, "Commitment lapsed recorded", "commitment.lapsed")
    eventually(lambda: commitments(system) == before or None, "it no longer counts", 30)
    [lapsed] = [e for e in stored(system, "commitment.lapsed") if e["data"]["service_id"] == "se-1"]
    assert lapsed["data"]["commitment_id"] == signed["data"]["commitment_id"]


def services_counted(system: System) -> int:
    found: int = summary(system, {**YEAR, "region": "south_east"})["commitments"]["services"]
    return found


def test_an_officer_registers_and_closes_a_service(system: System, page: Page) -> None:
    before = services_counted(system)
    sign_in(page, system.url("web"), OFFICER, then="/services/new")
    page.get_by_label("What is the service's id?").fill("se-9")
    page.get_by_role("button", name="Register the service").click()
    expect(page.locator("#name-error")).to_contain_text("Enter the name of the service")
    expect(page.get_by_label("What is the service's id?")).to_have_value("se-9")
    assert_accessible(page)
    page.get_by_label("What is the service called?").fill("Rowan Gardens")
    page.get_by_label("Retirement living").check()
    page.get_by_label("Which region is it in?").select_option(label="South east")
    fill_date(page, "opened_on", "2023-06-01")
    page.get_by_role("button", name="Register the service").click()
    confirmed(page, "Service recorded", "service.registered")
    eventually(lambda: services_counted(system) == before + 1 or None, "the service is counted", 30)

    page.goto(system.url("web") + "/services/close")
    page.get_by_label("Which service closed?").select_option(label="Rowan Gardens")
    fill_date(page, "closed_on", "2023-10-01")
    page.get_by_role("button", name="Record the closure").click()
    confirmed(page, "Closure recorded", "service.closed")
    eventually(lambda: services_counted(system) == before or None, "the service no longer counts", 30)


def opportunities_open(system: System) -> int:
    found: int = summary(system, {**this_year(), "region": "north_west"})["opportunities"]["open"]
    return found


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_manager_publishes_and_closes_an_opportunity_on_a_phone(
    system: System, browser: Browser, javascript: bool
) -> None:
    before = opportunities_open(system)
    title = f"Join the menu tasting panel ({'with' if javascript else 'without'} script)"
    with phone(browser, javascript) as page:
        sign_in(page, system.url("web"), MANAGER, then="/opportunities/new")
        assert "Everyone, across the country" not in page.content()
        page.get_by_label("What is the opportunity called?").fill(title)
        page.get_by_label("What will people do?").fill("Taste the new menu and say what should stay")
        page.get_by_role("radio", name="One region").check()
        page.get_by_label("Which region? (if it is for one region)").select_option(label="North west")
        page.get_by_role("radio", name="Customers", exact=True).check()
        page.get_by_label("At what time? (optional)").fill("25:99")
        page.get_by_role("button", name="Publish the opportunity").click()
        expect(page.locator("#starts_time-error")).to_contain_text("must be a real time")
        expect(page.locator("#closes_on-error")).to_contain_text("Enter the date it closes")
        expect(page.get_by_label("What is the opportunity called?")).to_have_value(title)
        if javascript:
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            assert_accessible(page)
        fill_date(page, "starts_on", f"{TODAY.year + 1}-01-15")
        page.get_by_label("At what time? (optional)").fill("2:30pm")
        page.get_by_label("How many places are there? (optional)").fill("8")
        page.get_by_label("What support is there to take part? (optional)").fill("Step-free access and a hearing loop")
        page.locator("#expenses_paid").check()
        fill_date(page, "closes_on", f"{TODAY.year + 1}-01-10")
        page.get_by_role("button", name="Publish the opportunity").click()
        expect(page.get_by_role("heading", name="Opportunity recorded")).to_be_visible()
        if javascript:
            assert_accessible(page)
        page.get_by_role("link", name="See it on the Menu of Involvement").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        eventually(lambda: opportunities_open(system) == before + 1 or None, "the opportunity is open", 30)
        [published] = [e for e in stored(system, "opportunity.published") if e["data"]["title"] == title]
        assert published["data"]["starts_at"].startswith(f"{TODAY.year + 1}-01-15T14:30:00")
        assert published["data"]["expenses_paid"] is True and published["data"]["places"] == 8

        page.goto(system.url("web") + "/opportunities/close")
        page.get_by_label("Which opportunity?").select_option(label=title)
        fill_date(page, "closed_on", TODAY.isoformat())
        page.get_by_role("radio", name="Filled").check()
        page.get_by_role("button", name="Close it").click()
        expect(page.get_by_role("heading", name="Closure recorded")).to_be_visible()
    eventually(lambda: opportunities_open(system) == before or None, "the opportunity is closed", 30)


def _posted(system: System, path: str, fields: dict[str, str]) -> tuple[int, str]:
    with signed_in(system, MANAGER) as web:
        form = web.get(path).text
        event_id = re.search(r'name="event_id" value="([0-9a-f]{32})"', form)
        assert event_id and "Birch Lodge" not in form
        answer = web.post(path, data={"csrf_token": form_token(form), "event_id": event_id.group(1), **fields})
    return answer.status_code, answer.text


def test_a_manager_records_nothing_outside_their_region(system: System) -> None:
    before = {t: len(stored(system, t)) for t in ("commitment.signed", "service.registered", "opportunity.published")}
    status, text = _posted(system, "/commitments/signed", {"service_id": "se-1", "signed_on-day": "1",
                                                           "signed_on-month": "5", "signed_on-year": "2023"})
    assert status == 403 and "You cannot record for Birch Lodge" in text
    status, text = _posted(system, "/services/new", {"service_id": "se-8", "name": "Hazel Court",
                                                     "service_type": "other", "region": "south_east"})
    assert status == 403 and "Which region is it in?" in text
    status, text = _posted(system, "/opportunities/new", {
        "title": "Panel", "summary": "Choose a manager", "scope": "service", "service_id": "se-1",
        "open_to": "both", "closes_on-day": "1", "closes_on-month": "1", "closes_on-year": str(TODAY.year + 1)})
    assert status == 403 and "You cannot record for Birch Lodge" in text
    status, text = _posted(system, "/opportunities/new", {
        "title": "Panel", "summary": "Choose a manager", "scope": "national", "open_to": "both",
        "closes_on-day": "1", "closes_on-month": "1", "closes_on-year": str(TODAY.year + 1)})
    assert status == 403 and "only a co-production officer publishes" in text
    assert {t: len(stored(system, t)) for t in before} == before


def test_an_officer_publishes_a_national_customer_group_meeting(system: System, page: Page) -> None:
    before = summary(system, this_year())["opportunities"]["published"]
    sign_in(page, system.url("web"), OFFICER, then="/opportunities/new")
    page.get_by_label("What is the opportunity called?").fill("C&S Customer Group, winter meeting")
    page.get_by_label("What will people do?").fill("Hear the year's figures and choose next year's priorities")
    page.get_by_role("radio", name="One region").check()
    page.get_by_label("Yes, it is a meeting of the national C&S Customer Group").check()
    page.get_by_role("radio", name="Customers and colleagues").check()
    fill_date(page, "closes_on", f"{TODAY.year + 1}-02-01")
    page.get_by_role("button", name="Publish the opportunity").click()
    expect(page.locator("#customer_group_meeting-error")).to_contain_text("Only an opportunity for everyone")
    expect(page.get_by_label("Yes, it is a meeting of the national C&S Customer Group")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("radio", name="Everyone, across the country").check()
    page.get_by_label("Where does it happen? (optional)").fill("Head office, Birmingham, and online")
    page.get_by_role("button", name="Publish the opportunity").click()
    confirmed(page, "Opportunity recorded", "opportunity.published")
    eventually(lambda: summary(system, this_year())["opportunities"]["published"] == before + 1 or None,
               "the meeting is counted", 30)
    [meeting] = [e for e in stored(system, "opportunity.published")
                 if e["data"]["title"] == "C&S Customer Group, winter meeting"]
    assert meeting["data"]["customer_group_meeting"] is True and meeting["data"]["scope"] == "national"
