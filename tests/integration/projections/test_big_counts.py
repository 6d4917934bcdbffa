"""Counts of people past 32 bits, on one day of one service: stored, summed and answered exactly (PostgreSQL's
INTEGER stopped at 2**31 - 1 and froze the figures)."""

from __future__ import annotations

from kpis import Events, running, settings_for

from tests.conftest import Database

PEOPLE = 100_000  # the most one activity can have
ACTIVITIES = 2**31 // PEOPLE + 1


async def test_people_summed_past_32_bits_are_answered_exactly(
    database: Database, redis_url: str, stream_prefix: str
) -> None:
    events = Events()
    events.add("service.registered", service_id="s1", name="Oak", service_type="other", region="north")
    for n in range(ACTIVITIES):
        events.add("engagement.recorded", activity_id=f"a{n}", occurred_on="2025-05-01", activity_type="meeting",
                   level="consulting", mode="virtual", service_id="s1", customers_participating=PEOPLE,
                   colleagues_participating=PEOPLE)
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as kpis:
        for start in range(0, len(events.made), 5000):
            await kpis.apply(events.made[start : start + 5000])
        for params in ({}, {"region": "north"}, {"from": "2025-05-01", "to": "2025-05-01"}):
            engagement = (await kpis.summary(**params))["engagement"]
            assert engagement["activities"] == ACTIVITIES
            assert engagement["customers_participating"] == ACTIVITIES * PEOPLE > 2**31
            assert engagement["colleagues_participating"] == ACTIVITIES * PEOPLE
