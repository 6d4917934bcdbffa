"""The rollups (PostgreSQL) give exactly the figures that reading every activity, feedback and alert gives, for the
summary and for co-production by every grouping, on varied data: amendments, withdrawals, national activities,
services moving region, outcomes late and early, feedback answered late, never, or before it was received, alerts
that failed then were sent, periods cut mid-month."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from kpis import Events, Kpis, running, settings_for

from services.projections.state import live_generation
from services.projections.tables import ACTIVITY_TYPES, LEVELS, MODES, read_model
from services.projections.views import Filters, Period, summary
from services.projections.views_ladder import ladder
from services.projections.views_series import GROUPINGS, coproduction
from tests.conftest import Database

REGIONS = ["north", "south", "east"]
TYPES = ["supported_accommodation", "retirement_living", "floating_support"]
PERIODS = [
    Period(date(2025, 4, 1), date(2026, 3, 31)),
    Period(date(2025, 4, 17), date(2025, 11, 3)),
    Period(date(2025, 6, 1), date(2025, 6, 30)),
    Period(date(2025, 6, 5), date(2025, 6, 25)),
    Period(date(2024, 12, 31), date(2026, 1, 1)),
]
FILTERS = [
    Filters(), Filters(region="north"), Filters(region="west"), Filters(service_type="retirement_living"),
    Filters(service_id="s2"), Filters(region="south", service_type="floating_support"),
]


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    if database.schema is None:
        pytest.skip("the rollups are kept on PostgreSQL only")
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        yield found


def _day(rng: random.Random) -> str:
    return (date(2024, 11, 1) + timedelta(days=rng.randrange(560))).isoformat()


def _when(rng: random.Random) -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"


def recorded(rng: random.Random, count: int) -> Events:
    e = Events()
    for n in range(6):
        e.add("service.registered", "2025-01-01T00:00:00Z", service_id=f"s{n}", name=f"Service {n}",
              service_type=TYPES[n % 3], region=REGIONS[n % 3], opened_on="2020-01-01")
    for n in range(count):
        place = {"service_id": f"s{rng.randrange(7)}"} if rng.random() < 0.8 else {}  # s6 is never registered
        if rng.random() < 0.4:
            place["region"] = rng.choice(REGIONS + ["west"])
        e.add("engagement.recorded", _when(rng), activity_id=f"a{n}", occurred_on=_day(rng),
              level=rng.choice(LEVELS), activity_type=rng.choice(ACTIVITY_TYPES), mode=rng.choice(MODES),
              customers_participating=rng.randrange(9), colleagues_participating=rng.randrange(4), **place)
        if rng.random() < 0.3:
            e.add("engagement.outcome_recorded", _when(rng), activity_id=f"a{n}", outcome="changed",
                  communicated_on=_day(rng))
    for n in range(count // 2):
        feedback(rng, e, n)
        alert(rng, e, n)
    return e


def feedback(rng: random.Random, e: Events, n: int) -> None:
    """Received (at a service, maybe one never registered) or not; answered before, inside or after a period, or
    never; answered twice; actioned or not."""
    if rng.random() < 0.9:
        e.add("feedback.received", _when(rng), feedback_id=f"f{n}", service_id=f"s{rng.randrange(7)}",
              received_on=_day(rng), kind=rng.choice(["compliment", "comment", "suggestion", "complaint"]))
    for _ in range(rng.choice([0, 1, 1, 2])):
        e.add("feedback.responded", _when(rng), feedback_id=f"f{n}", responded_on=_day(rng),
              action_taken=rng.random() < 0.5)


def alert(rng: random.Random, e: Events, n: int) -> None:
    """Sent, failed, or failed then sent (or sent then failed, by the events' times)."""
    for kind in rng.sample(["sent", "failed"], rng.randint(1, 2)):
        if kind == "sent":
            extra = {"sent_at": _when(rng)} if rng.random() < 0.5 else {}
        else:
            extra = {"error": "bounced"}
        e.add(f"notification.{kind}", _when(rng), notification_id=f"n{n}", opportunity_id="o1",
              champion_id=f"c{n}", channel="email", **extra)


def changed(rng: random.Random, count: int, e: Events) -> Events:
    """Amendments (level, type, date, service), withdrawals, and a service moving region and type."""
    later = Events(made=list(e.made))
    for n in rng.sample(range(count), count // 3):
        choice = rng.random()
        if choice < 0.2:
            later.add("engagement.withdrawn", _when(rng), activity_id=f"a{n}", reason="duplicate")
        else:
            change = rng.choice([{"level": rng.choice(LEVELS)}, {"activity_type": rng.choice(ACTIVITY_TYPES)},
                                 {"occurred_on": _day(rng)}, {"service_id": f"s{rng.randrange(6)}"}])
            later.add("engagement.amended", _when(rng), activity_id=f"a{n}", **change)
    for n in rng.sample(range(count // 2), count // 6):
        feedback(rng, later, n)
        alert(rng, later, n)
    later.add("service.registered", "2025-12-30T00:00:00Z", service_id="s1", name="Service 1",
              service_type="floating_support", region="east", opened_on="2020-01-01")
    return Events(made=later.made[len(e.made):])


async def _agree(kpis: Kpis) -> None:
    model = read_model(await live_generation(kpis.engine))
    async with kpis.engine.connect() as conn:
        for period in PERIODS:
            for filters in FILTERS:
                rolled = await summary(conn, model, period, filters, from_rollup=True)
                assert rolled == await summary(conn, model, period, filters, from_rollup=False), (period, filters)
                for group_by in GROUPINGS:
                    scanned = await coproduction(conn, model, period, filters, group_by, from_rollup=False)
                    assert await coproduction(conn, model, period, filters, group_by, from_rollup=True) == scanned, (
                        period, filters, group_by,
                    )
                for by in ("month", "quarter"):
                    scanned_ladder = await ladder(conn, model, period, filters, by, from_rollup=False)
                    assert await ladder(conn, model, period, filters, by, from_rollup=True) == scanned_ladder


@pytest.mark.parametrize("seed", [1, 2])
async def test_rollups_agree_with_every_activity_before_and_after_changes(kpis: Kpis, seed: int) -> None:
    rng = random.Random(seed)
    first = recorded(rng, 300)
    await kpis.apply(first)
    await _agree(kpis)
    await kpis.apply(changed(rng, 300, first))
    await _agree(kpis)


async def test_coproduction_by_type_counts_only_co_produced_activities_of_that_type(kpis: Kpis) -> None:
    e = Events()
    for n, (level, kind) in enumerate([("co_producing", "survey"), ("consulting", "survey"),
                                       ("co_producing", "meeting"), ("co_designing", "meeting")]):
        e.add("engagement.recorded", activity_id=f"a{n}", occurred_on="2025-06-01", level=level, activity_type=kind,
              mode="virtual", region="north")
    e.add("engagement.amended", "2025-06-02T10:00:00Z", activity_id="a3", level="co_producing")
    await kpis.apply(e)
    rows = (await kpis.get("coproduction", group_by="activity_type"))["rows"]
    assert [(r["activity_type"], r["activities"], r["coproduced"]) for r in rows] == [
        ("meeting", 2, 2), ("survey", 2, 1),
    ]
