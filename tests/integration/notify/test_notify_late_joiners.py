"""A champion read after an opportunity still hears of it, if it is open and they fit it: once."""

from __future__ import annotations

from notify_doubles import SmtpSink
from notify_harness import Notify, event, joined, published


async def test_a_champion_read_after_the_opportunity_still_hears_of_it(system: Notify, smtp: SmtpSink) -> None:
    await system.contact("early", email="early@example.org")
    await system.feed(published("o1"))
    await system.feed(joined("early"))  # joined in 2025, but its event came in after the opportunity
    await system.dispatcher().drain()
    assert [m["Subject"] for m in smtp.to("early@example.org")] == ["Involvement opportunity: Opportunity o1"]


async def test_a_champion_who_joins_after_the_opportunity_hears_of_the_open_ones_they_fit(
    system: Notify, smtp: SmtpSink
) -> None:
    await system.feed(
        published("open"),
        published("north-only", "regional", region="north"),
        published("past", closes_on="2026-05-31"),
        published("closed"),
        event("opportunity.closed", {"opportunity_id": "closed", "closed_on": "2026-05-20"}),
    )
    await system.contact("late", email="late@example.org")
    await system.feed(event("champion.joined", {"champion_id": "late", "role": "customer", "joined_on": "2026-06-01"}))
    await system.dispatcher().drain()
    assert [m["Subject"].split()[-1] for m in smtp.to("late@example.org")] == ["open"]


async def test_a_change_of_preferences_that_now_fits_brings_the_alert_once(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("mover", region="south"))
    await system.contact("mover", email="mover@example.org")
    await system.feed(published("o1"), published("north-only", "regional", region="north"))
    await system.dispatcher().drain()
    moved = event("champion.preferences_updated", {"champion_id": "mover", "region": "north"})
    await system.feed(moved)
    await system.feed(moved, event("champion.preferences_updated", {"champion_id": "mover", "format": "large_print"}))
    await system.dispatcher().drain()
    assert sorted(m["Subject"].split()[-1] for m in smtp.to("mover@example.org")) == ["north-only", "o1"]
