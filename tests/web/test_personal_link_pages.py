"""The pages of a champion's personal links in a real Chromium: each axe-clean in every format, each doing its
one thing with one button, from the links of an alert in the outbox."""

from __future__ import annotations

import email
import re
import time
import uuid
from email.message import Message
from typing import Any

from browser import assert_accessible
from playwright.sync_api import Page
from web_system import api, event, eventually, send

from coprod.up import System

LINK = re.compile(r"https?://\S+/(?:yes|choose|stop)/[A-Za-z0-9._-]+")
FORMATS = ("Standard", "Easy read", "Large print")


def _links(system: System) -> dict[str, str]:
    """A champion of this test's own, alerted to an opportunity of its own; the links in the alert it got."""
    upstream, address = f"cog-{uuid.uuid4().hex[:8]}", f"{uuid.uuid4().hex[:8]}@example.org"
    today = time.strftime("%Y-%m-%d", time.gmtime())
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    send(system, [event("champion.joined", {"champion_id": upstream, "role": "customer", "joined_on": today}, now)])
    with api(system, "ingest") as ingest:
        token = ingest.get(f"/v1/people/{upstream}").json()["token"]
    with api(system, "notify") as notify:
        eventually(
            lambda: notify.put(f"/v1/champions/{token}/contact", json={"email": address}).status_code == 200 or None,
            "notify to take the contact",
        )
    opportunity = {"opportunity_id": f"o-{uuid.uuid4().hex[:8]}", "title": "Choose the new garden benches",
                   "summary": "Help us pick.", "scope": "national", "closes_on": "2030-01-31", "places": 4,
                   "expenses_paid": True}
    send(system, [event("opportunity.published", opportunity, now)])
    alert = eventually(lambda: _alert_to(system, address), "the alert in the outbox")
    return {url.split("/")[-2]: url for url in LINK.findall(_text(alert))}


def _alert_to(system: System, address: str) -> Message | None:
    for path in system.outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] == address:
            return message
    return None


def _text(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload: Any = part.get_payload(decode=True)
    return str(payload.decode())


def _every_format_is_accessible(page: Page, url: str) -> None:
    page.goto(url)
    for name in FORMATS:
        page.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert_accessible(page)


def test_i_am_interested_in_every_format_then_one_tap(system: System, page: Page) -> None:
    links = _links(system)
    _every_format_is_accessible(page, links["yes"])
    page.get_by_role("link", name="Large print").click()
    page.get_by_role("button", name="I'm interested").click()
    page.get_by_role("heading", name="You are signed up").wait_for()
    assert_accessible(page)
    page.goto(links["yes"])
    assert page.get_by_text("You are already signed up").is_visible()


def test_changing_how_i_hear_in_every_format_with_its_error_named(system: System, page: Page) -> None:
    links = _links(system)
    _every_format_is_accessible(page, links["choose"])
    page.goto(links["choose"])
    page.get_by_label("Email").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Email").check()
    page.get_by_label("Large print").check()
    page.get_by_label("One message a day, at 9am").check()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_role("heading", name="Your choices are saved").wait_for()
    assert_accessible(page)


def test_stop_these_messages_in_every_format_then_one_tap(system: System, page: Page) -> None:
    links = _links(system)
    _every_format_is_accessible(page, links["stop"])
    page.get_by_role("button", name="Stop these messages").click()
    page.get_by_role("heading", name="We have stopped your messages").wait_for()
    assert_accessible(page)


def test_a_broken_link_says_so_plainly(system: System, page: Page) -> None:
    links = _links(system)
    page.goto(links["yes"][:-4])
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_accessible(page)
