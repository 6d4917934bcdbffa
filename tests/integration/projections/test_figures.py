from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from kpis import Events, Kpis, running, settings_for

from services.projections.state import live_generation
from services.projections.tables import read_model
from services.projections.views import Filters, Period, summary
from tests.conftest import Database


@pytest.fixture
async def kpis(database: Database, redis_url: str, stream_prefix: str) -> AsyncIterator[Kpis]:
    async with running(settings_for(database.url, database.schema, redis_url, stream_prefix)) as found:
        yield found


def services(e: Events) -> None:
    e.add("service.registered", service_id="s1", name="Oak Court", service_type="supported_accommodation",
          region="north", opened_on="2020-01-01")
    e.add("service.registered", service_id="s2", name="Elm House", service_type="retirement_living",
          region="south", opened_on="2020-01-01")
    e.add("service.registered", service_id="s3", name="Ash Team", service_type="floating_support",
          region="north", opened_on="2025-05-01")
    e.add("service.closed", service_id="s3", closed_on="2026-01-31")


def activity(e: Events, activity_id: str, occurred_on: str, level: str, service_id: str | None = None,
             activity_type: str = "meeting", mode: str = "face_to_face", when: str = "2025-06-01T10:00:00Z",
             **more: Any) -> None:
    where = {"service_id": service_id} if service_id else {}
    e.add("engagement.recorded", when, activity_id=activity_id, occurred_on=occurred_on, level=level,
          activity_type=activity_type, mode=mode, **where, **more)


def hand_worked_year() -> Events:
    e = Events()
    services(e)
    e.add("commitment.signed", commitment_id="c1", service_id="s1", signed_on="2025-05-01", review_due_on="2026-01-01")
    e.add("commitment.signed", commitment_id="c2", service_id="s2", signed_on="2024-01-01")
    e.add("commitment.lapsed", commitment_id="c2", service_id="s2", lapsed_on="2025-09-01")
    activity(e, "a1", "2025-06-10", "co_producing", "s1", customers_participating=5, colleagues_participating=2)
    activity(e, "a2", "2025-07-01", "consulting", "s1", "survey", "written", customers_participating=10)
    e.add("engagement.outcome_recorded", activity_id="a2", outcome="new menu", communicated_on="2025-08-01")
    activity(e, "a3", "2025-08-01", "informing", "s2", "focus_group", "virtual",
             customers_participating=3, colleagues_participating=1)
    e.add("engagement.amended", "2025-08-02T10:00:00Z", activity_id="a3", level="co_designing")
    activity(e, "a4", "2025-09-01", "engaging", None, "event", "hybrid", region="north",
             customers_participating=20, colleagues_participating=4)
    activity(e, "a5", "2025-10-01", "co_producing", "s2")
    e.add("engagement.withdrawn", activity_id="a5", reason="duplicate")
    activity(e, "a6", "2024-12-01", "co_producing", "s1")
    e.add("training.session_held", session_id="t1", held_on="2025-06-01", module="intro", mode="face_to_face",
          region="north")
    e.add("training.attended", session_id="t1", person_id="p1", role="customer")
    e.add("training.attended", session_id="t1", person_id="p2", role="colleague")
    e.add("training.session_held", session_id="t2", held_on="2025-07-01", module="next", mode="virtual", region="south")
    e.add("training.attended", session_id="t2", person_id="p1", role="customer")
    e.add("feedback.received", feedback_id="f1", service_id="s1", received_on="2025-06-01", kind="complaint")
    e.add("feedback.responded", feedback_id="f1", responded_on="2025-06-05", action_taken=True)
    e.add("feedback.received", feedback_id="f2", service_id="s2", received_on="2025-07-01", kind="compliment")
    e.add("champion.joined", champion_id="ch1", role="customer", joined_on="2025-01-01", region="north")
    e.add("champion.joined", champion_id="ch2", role="colleague", joined_on="2025-02-01")
    e.add("champion.left", champion_id="ch2", left_on="2025-12-01")
    e.add("opportunity.published", "2025-06-01T09:00:00Z", opportunity_id="o1", title="Panel", summary="Join us",
          scope="national", closes_on="2026-06-30")
    e.add("opportunity.signed_up", opportunity_id="o1", person_id="p1", role="customer")
    e.add("opportunity.published", "2025-07-01T09:00:00Z", opportunity_id="o2", title="Audit", summary="Help",
          scope="regional", region="north", closes_on="2025-09-30")
    e.add("notification.sent", opportunity_id="o1", notification_id="n1", champion_id="ch1", channel="email")
    e.add("notification.failed", opportunity_id="o1", notification_id="n2", champion_id="ch2", channel="sms",
          error="no number", attempts=3)
    e.add("notification.sent", opportunity_id="o2", notification_id="n3", champion_id="ch1", channel="email",
          possibly_sent_twice=True)
    return e


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    return {"value": round(numerator / denominator, 4) if denominator else 0, "numerator": numerator,
            "denominator": denominator}


def every(names: str, **counts: int) -> dict[str, int]:
    return {name: counts.get(name, 0) for name in names.split()}


LEVELS = "educating informing consulting engaging co_designing co_producing"
TYPES = ("meeting survey focus_group consultation recruitment_panel service_quality_audit procedure_review "
         "environment_design equality_diversity strategy newsletter event other")
MODES = "face_to_face virtual hybrid written"

HAND_WORKED = {
    "period": {"from": "2025-04-01", "to": "2026-03-31"},
    "filters": {"region": None, "service_id": None, "service_type": None},
    "engagement": {
        "activities": 4, "coproduced": 1,
        "coproduction_rate": rate(1, 4), "doing_with_rate": rate(1 + 1, 4),
        "by_level": every(LEVELS, consulting=1, engaging=1, co_designing=1, co_producing=1),
        "by_type": every(TYPES, meeting=1, survey=1, focus_group=1, event=1),
        "by_mode": every(MODES, face_to_face=1, written=1, virtual=1, hybrid=1),
        "customers_participating": 5 + 10 + 3 + 20, "colleagues_participating": 2 + 0 + 1 + 4,
        "services_engaging": rate(2, 2), "you_said_we_did": rate(1, 4),
    },
    "commitments": {"services": 2, "services_with_commitment": 1, "coverage": rate(1, 2), "due_for_review": 1},
    "training": {"sessions": 2, "people_trained": {"customer": 1, "colleague": 1, "total": 2}},
    "feedback": {"received": 2, "responded": 1, "actioned": 1},
    "champions": {"customer": 1, "colleague": 0, "total": 1},
    "opportunities": {"published": 2, "open": 1, "sign_ups": 1},
    "notifications": {"sent": 2, "failed": 1, "possibly_sent_twice": 1},
}


async def test_a_hand_worked_year_gives_exactly_its_figures(kpis: Kpis) -> None:
    await kpis.apply(hand_worked_year())
    body = await kpis.summary()
    assert set(body.pop("as_of")) == {"position", "lag", "updated_at"}
    assert body.pop("as_at") == "2026-03-31"  # the period's end: status figures are judged then
    assert body.pop("filters_not_applied") == {}
    assert body == HAND_WORKED


async def test_the_same_events_in_reverse_order_give_the_same_figures(kpis: Kpis) -> None:
    await kpis.apply(list(reversed(hand_worked_year().made)))
    body = await kpis.summary()
    for context in ("as_of", "as_at", "filters_not_applied"):
        body.pop(context)
    assert body == HAND_WORKED


async def test_filters_narrow_the_figures_they_apply_to(kpis: Kpis) -> None:
    await kpis.apply(hand_worked_year())
    north = await kpis.summary(region="north")
    assert north["engagement"]["activities"] == 3
    assert north["commitments"]["services"] == 1
    assert north["training"]["sessions"] == 1
    assert north["feedback"]["received"] == 1
    assert north["champions"]["total"] == 1
    assert north["opportunities"]["published"] == 1
    assert north["notifications"] == HAND_WORKED["notifications"]
    s2 = await kpis.summary(service_id="s2")
    assert s2["engagement"]["by_level"]["co_designing"] == 1
    assert s2["engagement"]["activities"] == 1
    assert s2["commitments"]["services_with_commitment"] == 0
    assert s2["feedback"]["received"] == 1
    retirement = await kpis.summary(service_type="retirement_living")
    assert retirement["engagement"]["activities"] == 1
    assert retirement["filters"]["service_type"] == "retirement_living"


async def test_an_empty_period_gives_zeros_and_rates_of_zero(kpis: Kpis) -> None:
    await kpis.apply(hand_worked_year())
    body = await kpis.summary(**{"from": "2030-01-01", "to": "2030-01-31"})
    engagement = body["engagement"]
    assert engagement["activities"] == 0
    assert engagement["coproduction_rate"] == {"value": 0, "numerator": 0, "denominator": 0}
    assert engagement["you_said_we_did"]["value"] == 0
    assert set(engagement["by_type"].values()) == {0}
    assert body["training"]["sessions"] == 0
    assert body["feedback"] == {"received": 0, "responded": 0, "actioned": 0}


PERIODS = [("2025-06-05", "2025-08-01"), ("2025-06-10", "2025-06-10"), ("2025-05-01", "2025-07-31"),
           ("2024-11-15", "2025-09-15"), ("2025-04-01", "2026-03-31")]


@pytest.fixture
def on_postgres(database: Database) -> None:
    if database.schema is None:
        pytest.skip("the rollup is kept on PostgreSQL only")


@pytest.mark.parametrize(("start", "end"), PERIODS)
async def test_the_rollup_agrees_with_reading_every_activity(
    on_postgres: None, kpis: Kpis, start: str, end: str
) -> None:
    await kpis.apply(hand_worked_year())
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    model = read_model(await live_generation(kpis.engine))
    async with kpis.engine.connect() as conn:
        for filters in (Filters(), Filters(region="north"), Filters(service_type="retirement_living")):
            rolled = await summary(conn, model, period, filters, from_rollup=True)
            scanned = await summary(conn, model, period, filters, from_rollup=False)
            assert rolled == scanned
