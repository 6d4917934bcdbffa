"""The folds alone: each thing's state from its facts, whatever order they come in."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from services.projections.folds import (
    Fact,
    commitment_row,
    fold_activity,
    fold_champion,
    fold_notification,
    fold_service,
    fold_sign_ups,
    key_of,
)


def fact(position: int, kind: str, data: dict[str, Any], day: int = 1) -> Fact:
    return Fact(position, kind, key_of(kind, data), datetime(2025, 6, day, 10, tzinfo=UTC), data)


RECORDED = {"activity_id": "a", "occurred_on": "2025-05-01", "activity_type": "survey", "level": "informing",
            "mode": "written", "region": "north", "customers_participating": 3}


def test_the_latest_amendment_wins_whatever_the_order_and_only_its_fields_change() -> None:
    facts = [
        fact(1, "engagement.recorded", RECORDED, day=1),
        fact(3, "engagement.amended", {"activity_id": "a", "level": "co_producing"}, day=3),
        fact(2, "engagement.amended", {"activity_id": "a", "level": "engaging", "mode": "virtual"}, day=2),
    ]
    for order in itertools.permutations(facts):
        [row] = fold_activity("a", list(order))
        assert (row["level"], row["mode"], row["customers"]) == ("co_producing", "virtual", 3)
        assert row["named_region"] == "north"


def test_equal_times_go_to_the_later_position() -> None:
    facts = [
        fact(1, "engagement.recorded", RECORDED),
        fact(5, "engagement.amended", {"activity_id": "a", "level": "consulting"}),
        fact(4, "engagement.amended", {"activity_id": "a", "level": "engaging"}),
    ]
    assert fold_activity("a", facts)[0]["level"] == "consulting"


def test_withdrawn_and_earliest_outcome() -> None:
    facts = [
        fact(1, "engagement.recorded", RECORDED),
        fact(2, "engagement.outcome_recorded", {"activity_id": "a", "outcome": "x", "communicated_on": "2025-08-01"}),
        fact(3, "engagement.outcome_recorded", {"activity_id": "a", "outcome": "y", "communicated_on": "2025-07-01"}),
        fact(4, "engagement.withdrawn", {"activity_id": "a", "reason": "duplicate"}),
    ]
    [row] = fold_activity("a", facts)
    assert row["withdrawn"] and row["outcome_on"] == date(2025, 7, 1) and row["recorded"]


def test_a_service_opens_on_its_registration_day_unless_it_says_otherwise_and_closes_at_its_latest_closure() -> None:
    registered = {"service_id": "s", "name": "Oak", "service_type": "other", "region": "north"}
    facts = [
        fact(1, "service.registered", registered, day=5),
        fact(2, "service.closed", {"service_id": "s", "closed_on": "2025-09-01"}, day=6),
        fact(3, "service.closed", {"service_id": "s", "closed_on": "2025-10-01"}, day=7),
    ]
    [row] = fold_service("s", facts)
    assert (row["opened_on"], row["closed_on"]) == (date(2025, 6, 5), date(2025, 10, 1))
    assert fold_service("s", [fact(1, "service.registered", {**registered, "opened_on": "2020-01-01"})])[0][
        "opened_on"
    ] == date(2020, 1, 1)


def test_a_champion_who_moved_region_and_left() -> None:
    facts = [
        fact(1, "champion.joined", {"champion_id": "c", "role": "customer", "joined_on": "2025-04-01", "region": "n"}),
        fact(2, "champion.preferences_updated", {"champion_id": "c", "cadence": "daily_digest"}, day=2),
        fact(3, "champion.preferences_updated", {"champion_id": "c", "region": "s"}, day=3),
        fact(4, "champion.left", {"champion_id": "c", "left_on": "2025-09-01"}, day=4),
    ]
    [row] = fold_champion("c", facts)
    assert (row["region"], row["left_on"], row["role"]) == ("s", date(2025, 9, 1), "customer")


def test_commitment_rows_keep_each_signing_renewal_and_lapse() -> None:
    lapsed = fact(7, "commitment.lapsed", {"commitment_id": "c", "service_id": "s", "lapsed_on": "2025-05-01"})
    assert (commitment_row(lapsed)["kind"], commitment_row(lapsed)["dated"]) == ("lapsed", date(2025, 5, 1))


def test_sign_ups_one_row_per_person_and_notifications_dated() -> None:
    sign_up = {"opportunity_id": "o", "person_id": "p", "role": "customer"}
    rows = fold_sign_ups("o", [fact(1, "opportunity.signed_up", sign_up), fact(2, "opportunity.signed_up", sign_up)])
    assert [(r["person_id"], r["role"]) for r in rows] == [("p", "customer")]
    sent = {"notification_id": "n", "opportunity_id": "o", "champion_id": "c", "channel": "email",
            "sent_at": "2025-06-09T23:30:00+00:00"}
    assert fold_notification("n", [fact(1, "notification.sent", sent)])[0]["dated"] == date(2025, 6, 9)
