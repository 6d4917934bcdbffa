"""Feedback received and its response, recorded in the browser, each moving the feedback figures."""

from __future__ import annotations

import re

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from test_record_activity import YEAR, stored
from web_system import MANAGER, OFFICER, eventually, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow


def feedback_figures(system: System) -> tuple[int, int]:
    found = summary(system, {**YEAR, "service_id": "se-1"})["feedback"]
    return found["received"], found["responded"]


def test_an_officer_records_feedback_then_its_response(system: System, page: Page) -> None:
    before = feedback_figures(system)
    sign_in(page, system.url("web"), OFFICER, then="/feedback/new")
    page.get_by_role("button", name="Record the feedback").click()
    expect(page.locator("#kind-error")).to_contain_text("Choose what kind of feedback it is")
    assert_accessible(page)
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Which service is it about?").select_option(label="Birch Lodge")
    page.get_by_label("Suggestion").check()
    page.get_by_label("How did it reach you?").select_option(label="Survey")
    page.get_by_label("What is it about?").select_option(label="Food")
    page.get_by_role("button", name="Record the feedback").click()
    expect(page.get_by_role("heading", name="Feedback recorded")).to_be_visible()
    assert_accessible(page)
    eventually(lambda: feedback_figures(system)[0] == before[0] + 1 or None, "the feedback is counted", 30)
    page.get_by_role("link", name="Record the response to this feedback").click()
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Yes").check()
    page.get_by_label("What was the response? (optional)").fill("The menu now has a vegetarian choice every day")
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_role("heading", name="Response recorded")).to_be_visible()
    eventually(lambda: feedback_figures(system) == (before[0] + 1, before[1] + 1) or None, "it is answered", 30)
    [received] = [e for e in stored(system, "feedback.received") if e["data"].get("received_on") == "2023-11-04"]
    assert received["data"]["kind"] == "suggestion" and received["data"]["theme"] == "food"
    [answered] = [e for e in stored(system, "feedback.responded")
                  if e["data"]["feedback_id"] == received["data"]["feedback_id"]]
    assert answered["data"]["action_taken"] is True


def test_a_manager_records_no_feedback_for_another_region(system: System) -> None:
    before = len(stored(system, "feedback.received"))
    with signed_in(system, MANAGER) as web:
        form = web.get("/feedback/new").text
        assert "Birch Lodge" not in form
        event_id = re.search(r'name="event_id" value="([0-9a-f]{32})"', form)
        assert event_id
        answer = web.post("/feedback/new", data={
            "csrf_token": form_token(form), "event_id": event_id.group(1), "received_on-day": "4",
            "received_on-month": "11", "received_on-year": "2023", "service_id": "se-1", "kind": "complaint",
            "channel": "letter", "theme": "repairs"})
    assert answer.status_code == 403 and "You cannot record for Birch Lodge" in answer.text
    assert len(stored(system, "feedback.received")) == before
