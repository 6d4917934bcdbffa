"""The pages every alert links to answer, in plain words, with no key."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from notify_doubles import SmtpSink
from notify_ingest import notify_settings

from services.notify import store
from services.notify.app import create_app
from services.notify.channels.base import Message, Result
from services.notify.channels.email import EmailSender
from services.notify.contacts import ContactDetails

GARDEN = {
    "opportunity_id": "o-garden",
    "title": "Choose the new garden furniture",
    "summary": "Help us pick benches",
    "scope": "national",
    "closes_on": "2030-01-31",
    "expenses_paid": True,
    "accessibility_support": "Step-free",
}


async def test_an_alerts_links_lead_to_plain_pages(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    app = create_app(notify_settings(database, redis_url, stream_prefix, "http://127.0.0.1:9", smtp, tmp_path))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify") as browser,
    ):
        async with app.state.notify.engine.begin() as conn:
            await store.record_opportunity(conn, "o-garden", GARDEN, datetime.now(UTC))
        page = await browser.get("/opportunities/o-garden")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "Choose the new garden furniture" in page.text and "How to sign up" in page.text
        assert "Thursday 31 January 2030" in page.text and "Step-free" in page.text
        async with app.state.notify.engine.begin() as conn:
            await store.close_opportunity(conn, "o-garden", date(2025, 7, 1))
        closed = await browser.get("/opportunities/o-garden")
        assert "has closed" in closed.text and "How to sign up" not in closed.text
        assert (await browser.get("/opportunities/never-heard-of")).status_code == 404
        stop = await browser.get("/stop")
        assert stop.status_code == 200 and "stop the alerts" in stop.text
        assert "reply" not in stop.text.lower(), "no Reply-To is set, so nobody reads replies: pages must not ask"


async def test_pages_offer_replying_only_when_alerts_carry_a_reply_to_someone_reads(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    settings = notify_settings(database, redis_url, stream_prefix, "http://127.0.0.1:9", smtp, tmp_path)
    app = create_app(settings.model_copy(update={"smtp_reply_to": "Co-production team <coproduction@example.org>"}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify") as browser,
    ):
        async with app.state.notify.engine.begin() as conn:
            await store.record_opportunity(conn, "o-garden", GARDEN, datetime.now(UTC))
        assert "Reply to the message" in (await browser.get("/opportunities/o-garden")).text
        assert "reply to any alert" in (await browser.get("/stop")).text


async def test_an_email_alert_says_when_it_was_sent_and_where_replies_go(smtp: SmtpSink) -> None:
    sender = EmailSender(smtp.url, "coprod alerts <alerts@example.org>", 1, "Co-production team <cp@example.org>")
    message = Message("ntf-1", "A new opportunity", "Help us choose", "<p>Help us choose</p>", "", {})
    try:
        assert (await sender.send(ContactDetails(email="sam@example.org"), message)).result is Result.sent
    finally:
        await sender.close()
    [sent] = smtp.messages
    assert sent["Reply-To"] == "Co-production team <cp@example.org>"
    assert sent["Date"] and sent["Message-ID"] == "<ntf-1@coprod>"
