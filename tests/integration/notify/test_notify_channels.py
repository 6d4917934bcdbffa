"""Channels in order of preference: fallback on a permanent failure, retry on a passing one, signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import deque

import pytest
import sqlalchemy as sa
from notify_doubles import HttpDouble, SmtpSink
from notify_harness import Notify, event, joined, notify, published

from services.notify.channels.base import Answer, Message
from services.notify.contacts import ContactDetails
from services.notify.tables import contacts, deliveries, outbox
from shared.events.champions import Channel


async def test_a_refused_email_falls_back_to_sms(system: Notify, smtp: SmtpSink, http: HttpDouble) -> None:
    await system.feed(joined("c1", channels=["email", "sms"]))
    await system.contact("c1", email="c1@example.org", phone="07700 900123")
    smtp.refuse["c1@example.org"] = deque(["550 No such mailbox"])
    await system.feed(published("o1"))
    await system.dispatcher().drain()
    [sms] = http.at("/sms")
    assert sms.headers["Authorization"] == "Bearer gateway-token"
    assert sms.json()["to"] == "+447700900123" and "Opportunity o1" in sms.json()["text"]
    assert len(sms.json()["text"]) <= 306


async def test_a_passing_failure_is_retried_with_backoff_then_sent(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("c1"))
    await system.contact("c1", email="c1@example.org")
    smtp.refuse["c1@example.org"] = deque(["451 Try again later"])
    await system.feed(published("o1"))
    dispatcher = system.dispatcher()
    await dispatcher.drain()
    assert smtp.messages == [] and await system.statuses() == {("o1", "c1"): "pending"}
    system.clock.move(seconds=11)
    await dispatcher.drain()
    assert len(smtp.to("c1@example.org")) == 1


async def test_after_max_attempts_the_alert_fails_and_says_why(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("c1"))
    await system.contact("c1", email="c1@example.org")
    smtp.refuse["c1@example.org"] = deque(["451 Try again later"] * 3)
    await system.feed(published("o1"))
    dispatcher = system.dispatcher()
    for _ in range(3):
        await dispatcher.drain()
        system.clock.move(minutes=5)
    assert await system.statuses() == {("o1", "c1"): "failed"}
    async with system.engine.connect() as conn:
        [reported] = (await conn.execute(sa.select(outbox.c.event))).scalars()
    assert reported["type"] == "notification.failed" and reported["data"]["attempts"] == 3


async def test_an_erased_champion_gets_nothing_and_their_contact_is_gone(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("c1"))
    await system.contact("c1", email="c1@example.org")
    await system.feed(event("champion.left", {"champion_id": "c1", "left_on": "2026-05-01", "erase": True}))
    await system.feed(published("o1"))
    await system.dispatcher().drain()
    async with system.engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(contacts))).scalar() == 0
    assert smtp.messages == [] and await system.statuses() == {}


async def test_webhooks_are_signed_over_timestamp_and_body(system: Notify, http: HttpDouble) -> None:
    await system.feed(joined("c1", channels=["webhook"]))
    await system.contact("c1", webhook_url=http.url("/hook"))
    await system.feed(published("o1"))
    await system.dispatcher().drain()
    [hook] = http.at("/hook")
    signed = hook.headers["X-Coprod-Timestamp"].encode() + b"." + hook.body
    expected = hmac.new(b"test-webhook-secret", signed, hashlib.sha256).hexdigest()
    assert hook.headers["X-Coprod-Signature"] == f"sha256={expected}"
    assert "Opportunity o1" in hook.json()["text"]


async def test_a_webhook_to_a_private_address_is_refused(database: object, smtp: SmtpSink, http: HttpDouble) -> None:
    async with notify(database.url, database.schema, smtp.url, allow_private_webhooks=False) as system:  # type: ignore[attr-defined]
        await system.feed(joined("c1", channels=["webhook", "email"]))
        await system.contact("c1", webhook_url=http.url("/hook"), email="c1@example.org")
        await system.feed(published("o1"))
        await system.dispatcher().drain()
    assert http.at("/hook") == [] and len(smtp.to("c1@example.org")) == 1


@pytest.mark.parametrize(("fmt", "expect"), [("easy_read", "We pay for your travel.\n"), ("large_print", "20pt")])
async def test_easy_read_and_large_print(system: Notify, smtp: SmtpSink, fmt: str, expect: str) -> None:
    await system.feed(joined("c1", format=fmt))
    await system.contact("c1", email="c1@example.org")
    await system.feed(published("o1", expenses_paid=True))
    await system.dispatcher().drain()
    [alert] = smtp.messages
    assert expect in smtp.text(alert) + smtp.text(alert, "html")


async def test_no_contact_detail_reaches_a_log_or_the_store_in_clear(
    system: Notify, smtp: SmtpSink, http: HttpDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """Our logs, that is: the SMTP sink standing in for the mail provider logs addresses, as a real one would."""
    caplog.set_level(logging.DEBUG)
    await system.feed(joined("c1", channels=["email", "sms"]), joined("c2", channels=["sms"]))
    await system.contact("c1", email="secret-person@example.org", phone="07700900123")
    smtp.refuse["secret-person@example.org"] = deque(["550 5.1.1 <secret-person@example.org> unknown"])
    http.statuses["/sms"] = deque([400])
    await system.feed(published("o1"))
    await system.dispatcher().drain()
    async with system.engine.connect() as conn:
        stored = "".join([str((await conn.execute(sa.select(t))).all()) for t in (deliveries, outbox, contacts)])
    ours = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records if not r.name.startswith("mail.log"))
    for secret in ("secret-person", "7700900123"):
        assert secret not in ours and secret not in stored
    assert "refused" in stored


class Exploding:
    async def send(self, contact: ContactDetails, message: Message) -> Answer:
        raise RuntimeError(f"gateway library choked on {contact.phone}")


async def test_an_unexpected_error_is_retried_and_logged_without_the_contact(
    system: Notify, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    system.delivering.senders = {**system.delivering.senders, Channel.sms: Exploding()}
    await system.feed(joined("c1", channels=["sms"]))
    await system.contact("c1", phone="07700900123")
    await system.feed(published("o1"))
    await system.dispatcher().drain()
    assert await system.statuses() == {("o1", "c1"): "pending"}
    assert "RuntimeError" in caplog.text and "7700900123" not in caplog.text
