"""A training session and its register, recorded in the browser, moving the people-trained figure."""

from __future__ import annotations

import re

import pytest
from browser import assert_accessible, sign_in
from playwright.sync_api import Page, expect
from test_record_activity import YEAR, stored
from web_system import OFFICER, eventually, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow


def trained(system: System) -> int:
    found: int = summary(system, YEAR)["training"]["people_trained"]["total"]
    return found


def test_an_officer_records_a_session_and_its_register(system: System, page: Page) -> None:
    before = trained(system)
    sign_in(page, system.url("web"), OFFICER, then="/training/new")
    page.get_by_label("Day").fill("5")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Which training module?").fill("Co-production basics")
    page.get_by_label("Virtual").check()
    page.get_by_label("Which region was it for?").select_option(label="North west")
    page.get_by_label("Customers who attended (optional)").fill("CMS-20417\nJo Bloggs")
    page.get_by_label("Colleagues who attended (optional)").fill("STAFF-118")
    page.get_by_role("button", name="Record the session").click()
    expect(page.locator("#customers-error")).to_contain_text("“Jo Bloggs” looks like a person's name")
    assert_accessible(page)
    page.get_by_label("Customers who attended (optional)").fill("CMS-20417\nCMS-20418")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_role("heading", name="Training session recorded")).to_be_visible()
    expect(page.get_by_text("3 people on its register")).to_be_visible()
    assert_accessible(page)
    eventually(lambda: trained(system) == before + 3 or None, "the three are counted as trained", 30)
    [session] = [e for e in stored(system, "training.session_held") if e["data"]["held_on"] == "2023-10-05"]
    assert session["data"]["region"] == "north_west" and session["data"]["mode"] == "virtual"
    attended = [e for e in stored(system, "training.attended")
                if e["data"]["session_id"] == session["data"]["session_id"]]
    assert sorted(e["data"]["role"] for e in attended) == ["colleague", "customer", "customer"]
    assert not any("CMS-" in e["data"]["person_id"] for e in attended)  # pseudonymised at ingest's door


def test_a_register_sent_twice_is_recorded_once(system: System) -> None:
    with signed_in(system, OFFICER) as web:
        form = web.get("/training/new").text
        event_id = re.search(r'name="event_id" value="([0-9a-f]{32})"', form)
        assert event_id
        fields = {"csrf_token": form_token(form), "event_id": event_id.group(1), "held_on-day": "6",
                  "held_on-month": "10", "held_on-year": "2023", "module": "Recruitment panels", "mode": "written",
                  "region": "national", "colleagues": "STAFF-1\nSTAFF-2"}
        first, second = web.post("/training/new", data=fields), web.post("/training/new", data=fields)
    assert "Training session recorded" in first.text and "Training session already recorded" in second.text
    mine = [e for e in stored(system, "training.attended") if e["id"].startswith(event_id.group(1))]
    assert len(mine) == 2
