"""Amending and withdrawing an activity from its page, which shows every event about it."""

from __future__ import annotations

import re

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from test_record_activity import YEAR, stored
from web_system import OFFICER, VIEWER, eventually, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow


def recorded_activity(system: System) -> str:
    """An activity recorded through the form (co-producing, at Birch Lodge), and its page."""
    with signed_in(system, OFFICER) as web:
        form = web.get("/activities/new").text
        event_id = re.search(r'name="event_id" value="([0-9a-f]{32})"', form)
        assert event_id
        answer = web.post("/activities/new", data={
            "csrf_token": form_token(form), "event_id": event_id.group(1), "occurred_on-day": "9",
            "occurred_on-month": "9", "occurred_on-year": "2023", "service_id": "se-1", "activity_type": "strategy",
            "mode": "hybrid", "summary": "Customers wrote the new strategy with us", "decided": "shared",
            "delivered": "together"})
    assert answer.status_code == 303
    return f"/activities/web-{event_id.group(1)}"


def rate(system: System) -> tuple[int, int]:
    found = summary(system, {**YEAR, "service_id": "se-1"})["engagement"]["coproduction_rate"]
    return found["numerator"], found["denominator"]


def until(system: System, wanted: tuple[int, int]) -> None:
    eventually(lambda: rate(system) == wanted or None, f"the co-production rate is {wanted}", 30)


def test_an_officer_amends_then_withdraws_and_the_figures_follow(system: System, page: Page) -> None:
    before = rate(system)
    activity = recorded_activity(system)
    until(system, (before[0] + 1, before[1] + 1))
    sign_in(page, system.url("web"), OFFICER, then=activity)
    page.get_by_role("link", name="Change this activity").click()
    expect(page.get_by_label("What happened?")).to_have_value("Customers wrote the new strategy with us")
    page.get_by_label("Colleagues asked customers what they thought, then colleagues decided").check()
    page.get_by_label("Colleagues (or someone else) delivered it").check()
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Your changes are recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Amended (Level: Consulting)")).to_be_visible()
    until(system, (before[0], before[1] + 1))
    page.get_by_role("link", name="Withdraw this activity").click()
    page.get_by_role("button", name="Withdraw the activity").click()
    expect(page.locator("#reason-error")).to_contain_text("Enter why the activity is withdrawn")
    assert_accessible(page)
    page.get_by_label("Why is it withdrawn?").fill("It was recorded twice")
    page.get_by_role("button", name="Withdraw the activity").click()
    expect(page.get_by_text("The activity is withdrawn.")).to_be_visible()
    expect(page.get_by_text("no longer counts", exact=False).or_(page.get_by_text("not counted"))).to_be_visible()
    expect(page.get_by_role("cell", name="Withdrawn: It was recorded twice")).to_be_visible()
    expect(page.get_by_role("link", name="Change this activity")).to_have_count(0)
    assert_accessible(page)
    until(system, before)
    history = page.get_by_role("row").all_inner_texts()
    assert len(history) == 4 and all(OFFICER[0] in row for row in history[1:])
    activity_id = activity.rsplit("/", 1)[1]
    [amended] = [e for e in stored(system, "engagement.amended") if e["data"]["activity_id"] == activity_id]
    assert amended["data"] == {"activity_id": activity_id, "level": "consulting"}


def test_nothing_changed_is_said_and_nothing_sent(system: System) -> None:
    activity = recorded_activity(system)
    with signed_in(system, OFFICER) as web:
        form = web.get(activity + "/amend").text
        shown = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
        fields = {name: shown[name] for name in ("csrf_token", "event_id", "occurred_on-day", "occurred_on-month",
                                                 "occurred_on-year")}
        fields.update({"service_id": "se-1", "activity_type": "strategy", "mode": "hybrid", "decided": "shared",
                       "delivered": "together", "summary": "Customers wrote the new strategy with us"})
        answer = web.post(activity + "/amend", data=fields)
    assert answer.status_code == 400 and "Nothing has changed" in answer.text
    assert not [e for e in stored(system, "engagement.amended") if e["data"]["activity_id"] in activity]


def test_a_viewer_sees_no_way_to_change_an_activity(system: System) -> None:
    activity = recorded_activity(system)
    with signed_in(system, VIEWER) as web:
        assert web.get(activity + "/amend").status_code == 403
        assert web.get(activity + "/withdraw").status_code == 403


def told_back(system: System) -> int:
    found: int = summary(system, {**YEAR, "service_id": "se-1"})["engagement"]["you_said_we_did"]["numerator"]
    return found


def test_an_officer_records_what_changed_and_the_figure_moves(system: System, page: Page) -> None:
    activity = recorded_activity(system)
    eventually(lambda: rate(system)[1] > 0 or None, "the activity is counted", 30)
    before = told_back(system)
    sign_in(page, system.url("web"), OFFICER, then=activity)
    page.get_by_role("link", name="Record what changed because of it (you said, we did)").click()
    page.get_by_role("button", name="Record what changed").click()
    expect(page.locator("#outcome-error")).to_contain_text("Enter what changed")
    expect(page.locator("#communicated_on-error")).to_contain_text("Enter the date customers were told")
    assert_accessible(page)
    page.get_by_label("What changed because of what customers said?").fill("The strategy now opens with their words")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2023")
    page.get_by_role("button", name="Record what changed").click()
    expect(page.get_by_text("What changed is recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Outcome recorded: The strategy now opens with their words")).to_be_visible()
    expect(page.get_by_text("told customers on 1 October 2023")).to_be_visible()
    eventually(lambda: told_back(system) == before + 1 or None, "the you-said-we-did figure moves", 30)
