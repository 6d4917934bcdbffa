"""Each opportunity reaches exactly the champions it should: region, interests, open_to, active, once each."""

from __future__ import annotations

from notify_doubles import SmtpSink
from notify_harness import Notify, event, joined, published


async def test_every_scope_reaches_only_its_champions(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(
        event(
            "service.registered",
            {"service_id": "s1", "name": "Oak Court", "service_type": "retirement_living", "region": "north"},
        ),
        joined("north-any", region="north"),
        joined("south-any", region="south"),
        joined("north-env", region="north", interests=["environment"]),
        joined("north-colleague", role="colleague", region="north"),
        joined("gone", region="north"),
        event("champion.left", {"champion_id": "gone", "left_on": "2025-06-01"}),
    )
    for champion_id in ("north-any", "south-any", "north-env", "north-colleague", "gone"):
        await system.contact(champion_id, email=f"{champion_id}@example.org")
    await system.feed(
        published("national", topics=["recruitment"]),
        published("regional", "regional", region="north", topics=["environment"], open_to="customers"),
        published("service", "service", service_id="s1", open_to="colleagues"),
        published("untopical", "regional", region="south"),
    )
    await system.dispatcher().drain()
    got = sorted((m["Subject"].split()[-1], m["To"].split("@")[0]) for m in smtp.messages)
    assert got == [
        ("national", "north-any"),
        ("national", "north-colleague"),
        ("national", "south-any"),
        ("regional", "north-any"),
        ("regional", "north-env"),
        ("service", "north-colleague"),
        ("untopical", "south-any"),
    ]


async def test_a_redelivered_opportunity_and_a_second_worker_add_no_alert(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("c1"))
    await system.contact("c1", email="c1@example.org")
    opportunity = published("o1")
    await system.feed(opportunity)
    await system.feed(opportunity)
    await system.dispatcher("w1").drain()
    await system.dispatcher("w2").drain()
    await system.feed(opportunity)
    await system.dispatcher("w2").drain()
    assert len(smtp.to("c1@example.org")) == 1


async def test_champion_events_in_any_order_give_the_same_champion(system: Notify, smtp: SmtpSink) -> None:
    later = event("champion.preferences_updated", {"champion_id": "c1", "region": "south"})
    earlier = joined("c1", region="north")
    earlier["time"], later["time"] = "2026-01-01T10:00:00+00:00", "2026-02-01T10:00:00+00:00"
    await system.feed(later)
    await system.feed(earlier)
    await system.contact("c1", email="c1@example.org")
    await system.feed(published("north", "regional", region="north"), published("south", "regional", region="south"))
    await system.dispatcher().drain()
    assert [m["Subject"] for m in smtp.messages] == ["Involvement opportunity: Opportunity south"]
