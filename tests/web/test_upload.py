"""Uploading a spreadsheet in the browser: every bad row and field shown before anything is stored, then one
button that stores all of it, once; a manager refused rows outside their region by the web and by ingest."""

from __future__ import annotations

import html
import io
import re
import uuid
from pathlib import Path

import httpx
import pytest
from browser import assert_accessible, sign_in
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from test_record_activity import coproduced, stored
from web_system import MANAGER, NORTH_WEST_KEY, OFFICER, eventually, form_token, signed_in

from coprod.up import System

pytestmark = pytest.mark.slow
HEADINGS = ["activity_id", "occurred_on", "activity_type", "level", "mode", "service_id", "summary"]


def rows(service: str, *levels: str, on: str = "2023-08-0{n}") -> list[list[str]]:
    tag = uuid.uuid4().hex[:8]
    return [[f"up-{tag}-{n}", on.format(n=n + 1), "meeting", level, "virtual", service, "Residents planned the fair"]
            for n, level in enumerate(levels)]


def csv_file(tmp_path: Path, lines: list[list[str]]) -> Path:
    path = tmp_path / "activities.csv"
    path.write_text("\n".join(",".join(line) for line in [HEADINGS, *lines]) + "\n", encoding="utf-8")
    return path


def choose(page: Page, path: Path) -> None:
    page.get_by_label("What does each row record?").select_option("engagement.recorded")
    page.get_by_label("The spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Check the spreadsheet").click()


def test_an_officer_sees_each_bad_row_then_stores_the_file_once(system: System, page: Page, tmp_path: Path) -> None:
    before, recorded = coproduced(system, "nw-2"), len(stored(system, "engagement.recorded"))
    good = rows("nw-2", "co_producing", "consulting")
    bad = [*good, ["up-bad", "2023-02-30", "meeting", "top", "virtual", "nw-2", "Call jo@example.org"]]
    sign_in(page, system.url("web"), OFFICER, then="/upload")
    page.get_by_role("button", name="Check the spreadsheet").click()
    expect(page.locator("#file-error")).to_contain_text("Choose the spreadsheet to upload")
    assert_accessible(page)
    choose(page, csv_file(tmp_path, bad))
    expect(page.get_by_role("heading", name=re.compile("Nothing was stored: 1 of 3 rows"))).to_be_visible()
    table = page.locator("#problems")
    for found in ("occurred_on", "level", "summary", "looks like an email address"):
        expect(table).to_contain_text(found)
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("4")
    assert_accessible(page)
    assert len(stored(system, "engagement.recorded")) == recorded

    choose(page, csv_file(tmp_path, good))
    expect(page.get_by_text("All 2 rows of activities.csv are ready to store.")).to_be_visible()
    assert_accessible(page)
    assert len(stored(system, "engagement.recorded")) == recorded
    page.get_by_role("button", name="Store all 2 rows").click()
    expect(page.get_by_role("heading", name="Spreadsheet stored")).to_be_visible()
    expect(page.get_by_text("2 new records")).to_be_visible()
    assert_accessible(page)
    eventually(lambda: coproduced(system, "nw-2") == (before[0] + 1, before[1] + 2) or None, "the rows count", 30)
    mine = [e for e in stored(system, "engagement.recorded") if e["data"]["activity_id"] == good[0][0]]
    assert len(mine) == 1 and mine[0]["source"].startswith("urn:coprod:web:user:")


def test_the_same_checked_file_stored_twice_is_stored_once(system: System, tmp_path: Path) -> None:
    good = rows("nw-1", "informing")
    with signed_in(system, OFFICER) as web:
        form = web.get("/upload").text
        checked = web.post("/upload", data={"csrf_token": form_token(form), "event_type": "engagement.recorded"},
                           files={"file": ("again.csv", csv_file(tmp_path, good).read_bytes(), "text/csv")})
        data = re.search(r'name="rows" value="([^"]+)"', checked.text)
        assert data
        fields = {"csrf_token": form_token(checked.text), "event_type": "engagement.recorded",
                  "rows": html.unescape(data.group(1))}
        first, second = web.post("/upload/store", data=fields), web.post("/upload/store", data=fields)
    assert "1 new records" in first.text and "0 new records" in second.text
    assert "nothing was recorded twice" in second.text
    assert len([e for e in stored(system, "engagement.recorded") if e["data"]["activity_id"] == good[0][0]]) == 1


def test_an_excel_workbook_is_checked_and_stored(system: System, page: Page, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    for line in rows("nw-1", "engaging", "co_designing"):
        sheet.append(line)
    path = tmp_path / "activities.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    sign_in(page, system.url("web"), OFFICER, then="/upload")
    choose(page, path)
    expect(page.get_by_text("All 2 rows of activities.xlsx are ready to store.")).to_be_visible()
    page.get_by_role("button", name="Store all 2 rows").click()
    expect(page.get_by_text("2 new records")).to_be_visible()


def test_a_manager_uploads_nothing_for_another_region(system: System, page: Page, tmp_path: Path) -> None:
    recorded = len(stored(system, "engagement.recorded"))
    theirs = rows("nw-1", "informing") + rows("se-1", "consulting")
    sign_in(page, system.url("web"), MANAGER, then="/upload")
    choose(page, csv_file(tmp_path, theirs))
    table = page.locator("#problems")
    expect(table).to_contain_text("You cannot record for Birch Lodge")
    expect(table).to_contain_text("may record only for region north_west")
    assert_accessible(page)
    with httpx.Client(base_url=system.url("ingest"), timeout=30,
                      headers={"Authorization": f"Bearer {NORTH_WEST_KEY}"}) as ingest:
        answer = ingest.post("/v1/rows", json={
            "type": "engagement.recorded", "source": "urn:coprod:web:user:someone", "store": True,
            "rows": [{"line": n + 2, "cells": dict(zip(HEADINGS, line, strict=True))}
                     for n, line in enumerate(theirs)]})
    assert answer.status_code == 403 and "line 3" in answer.text and "'se-1'" in answer.text
    assert len(stored(system, "engagement.recorded")) == recorded
