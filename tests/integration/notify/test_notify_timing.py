"""Quiet hours hold alerts until they end; digests gather what came since the last one; closed ones are left out."""

from __future__ import annotations

from datetime import UTC, datetime

from notify_doubles import SmtpSink
from notify_harness import Notify, event, joined, published

LONDON_3AM = datetime(2026, 6, 2, 2, 0, tzinfo=UTC)


async def test_quiet_hours_hold_the_alert_until_they_end(system: Notify, smtp: SmtpSink) -> None:
    system.clock.set(LONDON_3AM)
    await system.feed(joined("c1", quiet_hours={"start": "21:00", "end": "08:00"}))
    await system.contact("c1", email="c1@example.org")
    await system.feed(published("o1"))
    dispatcher = system.dispatcher()
    await dispatcher.drain()
    assert smtp.messages == [] and await system.statuses() == {("o1", "c1"): "held"}
    system.clock.set(datetime(2026, 6, 2, 6, 59, tzinfo=UTC))
    await dispatcher.drain()
    assert smtp.messages == []
    system.clock.set(datetime(2026, 6, 2, 7, 0, tzinfo=UTC))  # 08:00 in London
    await dispatcher.drain()
    assert len(smtp.to("c1@example.org")) == 1


async def test_a_daily_digest_lists_every_opportunity_since_the_last_in_one_message(
    system: Notify, smtp: SmtpSink
) -> None:
    await system.feed(joined("c1", cadence="daily_digest"))
    await system.contact("c1", email="c1@example.org")
    await system.feed(published("o1"), published("o2"))
    dispatcher = system.dispatcher()
    await dispatcher.drain()
    assert smtp.messages == []
    system.clock.set(datetime(2026, 6, 2, 8, 0, tzinfo=UTC))  # 09:00 in London the next day
    await dispatcher.drain()
    [digest] = smtp.to("c1@example.org")
    assert "Opportunity o1" in digest["Subject"] and "Opportunity o2" in digest["Subject"]
    system.clock.set(datetime(2026, 6, 3, 8, 0, tzinfo=UTC))
    await dispatcher.drain()
    assert len(smtp.messages) == 1, "no digest when there is nothing new"


async def test_a_weekly_digest_waits_for_monday_and_leaves_out_what_closed(system: Notify, smtp: SmtpSink) -> None:
    system.clock.set(datetime(2026, 6, 3, 12, 0, tzinfo=UTC))  # a Wednesday
    await system.feed(joined("c1", cadence="weekly_digest"))
    await system.contact("c1", email="c1@example.org")
    await system.feed(published("o1"), published("o2"), published("o3"))
    await system.feed(event("opportunity.closed", {"opportunity_id": "o3", "closed_on": "2026-06-04"}))
    dispatcher = system.dispatcher()
    system.clock.set(datetime(2026, 6, 7, 12, 0, tzinfo=UTC))  # Sunday
    await dispatcher.drain()
    assert smtp.messages == []
    system.clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))  # Monday 09:00 in London
    await dispatcher.drain()
    [digest] = smtp.to("c1@example.org")
    text = smtp.text(digest)
    assert "Opportunity o1" in text and "Opportunity o2" in text and "Opportunity o3" not in text
    assert (await system.statuses())[("o3", "c1")] == "skipped"
