from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from kpis import Events, Kpis, running, settings_for

from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        yield found


def oak_court(e: Events, **more: str) -> None:
    e.add("service.registered", service_id="oak", name="Oak Court", service_type="retirement_living",
          region="north", opened_on="2020-01-01", **more)


def meeting(e: Events, activity_id: str = "m1", level: str = "informing", when: str = "2025-06-01T10:00:00Z",
            **more: str) -> None:
    e.add("engagement.recorded", when, activity_id=activity_id, occurred_on="2025-06-01", level=level,
          activity_type="meeting", mode="virtual", **more)


async def test_an_amended_level_is_counted_at_its_latest_value(kpis: Kpis) -> None:
    e = Events()
    meeting(e, "m1", "informing", when="2025-06-01T10:00:00Z")
    e.add("engagement.amended", "2025-06-02T10:00:00Z", activity_id="m1", level="co_producing")
    meeting(e, "m2", "consulting", when="2025-06-05T10:00:00Z")
    e.add("engagement.amended", "2025-06-04T10:00:00Z", activity_id="m2", level="co_producing")
    await kpis.apply(e)
    engagement = (await kpis.summary())["engagement"]
    assert engagement["activities"] == 2
    assert engagement["by_level"]["co_producing"] == 1
    assert engagement["by_level"]["consulting"] == 1


async def test_a_withdrawn_activity_never_counts(kpis: Kpis) -> None:
    e = Events()
    meeting(e, "m1", "co_producing")
    e.add("engagement.withdrawn", activity_id="m1", reason="recorded in error")
    await kpis.apply(e)
    engagement = (await kpis.summary())["engagement"]
    assert engagement["activities"] == 0
    assert engagement["coproduced"] == 0


async def test_an_amendment_that_arrives_before_its_activity_counts_once_it_is_recorded(kpis: Kpis) -> None:
    e = Events()
    e.add("engagement.amended", "2025-06-02T10:00:00Z", activity_id="m1", level="co_producing")
    e.add("engagement.outcome_recorded", activity_id="m1", outcome="new rota", communicated_on="2025-07-01")
    await kpis.apply(e)
    assert (await kpis.summary())["engagement"]["activities"] == 0
    later = Events(made=list(e.made))
    meeting(later, "m1", "consulting", when="2025-06-01T10:00:00Z")
    await kpis.apply(later.made[-1:])
    engagement = (await kpis.summary())["engagement"]
    assert engagement["activities"] == 1
    assert engagement["coproduced"] == 1
    assert engagement["you_said_we_did"] == {"value": 1.0, "numerator": 1, "denominator": 1}


async def test_an_outcome_communicated_after_the_period_does_not_count_for_it(kpis: Kpis) -> None:
    e = Events()
    meeting(e, "m1", "consulting")
    e.add("engagement.outcome_recorded", activity_id="m1", outcome="new rota", communicated_on="2026-05-01")
    await kpis.apply(e)
    assert (await kpis.summary())["engagement"]["you_said_we_did"]["numerator"] == 0
    assert (await kpis.summary(to="2026-06-30"))["engagement"]["you_said_we_did"]["numerator"] == 1


async def test_a_lapsed_then_renewed_commitment_is_held_since_its_renewal(kpis: Kpis) -> None:
    e = Events()
    oak_court(e)
    e.add("commitment.signed", commitment_id="c1", service_id="oak", signed_on="2024-01-01", review_due_on="2024-12-01")
    e.add("commitment.lapsed", commitment_id="c1", service_id="oak", lapsed_on="2025-01-01")
    e.add("commitment.renewed", commitment_id="c1", service_id="oak", renewed_on="2025-06-01",
          review_due_on="2026-06-01")
    await kpis.apply(e)
    held = await kpis.summary()
    assert held["commitments"]["services_with_commitment"] == 1
    assert held["commitments"]["due_for_review"] == 0
    lapsed = await kpis.summary(**{"from": "2024-04-01", "to": "2025-03-31"})
    assert lapsed["commitments"]["services_with_commitment"] == 0
    [oak] = (await kpis.get("commitments"))["rows"]
    assert (oak["commitment_held"], oak["held_since"], oak["review_due_on"]) == (True, "2025-06-01", "2026-06-01")


async def test_a_commitment_past_its_review_date_is_due_for_review(kpis: Kpis) -> None:
    e = Events()
    oak_court(e)
    e.add("commitment.signed", commitment_id="c1", service_id="oak", signed_on="2025-05-01", review_due_on="2025-11-01")
    e.add("commitment.renewed", commitment_id="c1", service_id="oak", renewed_on="2025-06-01")
    await kpis.apply(e)
    assert (await kpis.summary())["commitments"]["due_for_review"] == 1
    assert (await kpis.summary(to="2025-10-31"))["commitments"]["due_for_review"] == 0


async def test_a_closed_service_stops_counting_from_its_closing_date(kpis: Kpis) -> None:
    e = Events()
    oak_court(e)
    e.add("service.closed", service_id="oak", closed_on="2025-12-31")
    await kpis.apply(e)
    assert (await kpis.summary())["commitments"]["services"] == 0
    assert (await kpis.summary(to="2025-12-30"))["commitments"]["services"] == 1


async def test_a_person_trained_twice_counts_once(kpis: Kpis) -> None:
    e = Events()
    for session, held_on in (("t1", "2025-05-01"), ("t2", "2025-09-01")):
        e.add("training.session_held", session_id=session, held_on=held_on, module="intro", mode="virtual")
        e.add("training.attended", session_id=session, person_id="p1", role="colleague")
    await kpis.apply(e)
    training = (await kpis.summary())["training"]
    assert training == {"sessions": 2, "people_trained": {"customer": 0, "colleague": 1, "total": 1}}


async def test_a_champion_who_left_no_longer_counts(kpis: Kpis) -> None:
    e = Events()
    e.add("champion.joined", champion_id="ch1", role="customer", joined_on="2025-01-01")
    e.add("champion.left", champion_id="ch1", left_on="2025-10-01")
    await kpis.apply(e)
    assert (await kpis.summary())["champions"]["total"] == 0
    assert (await kpis.summary(to="2025-09-30"))["champions"] == {"customer": 1, "colleague": 0, "total": 1}


async def test_an_activity_with_no_service_counts_in_the_region_it_names(kpis: Kpis) -> None:
    e = Events()
    oak_court(e)
    meeting(e, "national", "co_producing", region="south")
    await kpis.apply(e)
    everywhere = (await kpis.summary())["engagement"]
    assert everywhere["activities"] == 1
    assert everywhere["services_engaging"] == {"value": 0, "numerator": 0, "denominator": 1}
    assert (await kpis.summary(region="south"))["engagement"]["activities"] == 1
    assert (await kpis.summary(region="north"))["engagement"]["activities"] == 0


async def test_an_activity_takes_its_services_region_unless_it_names_one(kpis: Kpis) -> None:
    e = Events()
    oak_court(e)
    meeting(e, "here", service_id="oak")
    meeting(e, "away-day", service_id="oak", region="south")
    await kpis.apply(e)
    assert (await kpis.summary(region="north"))["engagement"]["activities"] == 1
    assert (await kpis.summary(region="south"))["engagement"]["activities"] == 1
    assert (await kpis.summary(service_type="retirement_living"))["engagement"]["activities"] == 2
