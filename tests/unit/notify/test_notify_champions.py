"""Who hears of an opportunity, and a champion folded from events in any order."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from services.notify.champions import Champion, fold, is_recipient
from shared.events import cloud_event, parse_event
from shared.events.opportunities import OpportunityPublished

ON = date(2026, 6, 1)


def champion(**facts: Any) -> Champion:
    return Champion.from_facts("c", {"role": "customer", "joined_on": "2025-01-01", **facts})


def opportunity(**data: Any) -> OpportunityPublished:
    base = {"opportunity_id": "o", "title": "t", "summary": "s", "scope": "national", "closes_on": "2030-01-01"}
    return OpportunityPublished.model_validate(base | data)


@pytest.mark.parametrize(
    ("facts", "data", "region", "expected"),
    [
        ({}, {}, None, True),
        ({"region": "north"}, {"scope": "regional", "region": "north"}, None, True),
        ({"region": "south"}, {"scope": "regional", "region": "north"}, None, False),
        ({"region": "north"}, {"scope": "service", "service_id": "s"}, "north", True),
        ({"region": "south"}, {"scope": "service", "service_id": "s"}, "north", False),
        ({"region": "north"}, {"scope": "service", "service_id": "s"}, None, False),
        ({"interests": ["env"]}, {"topics": ["env", "jobs"]}, None, True),
        ({"interests": ["env"]}, {"topics": ["jobs"]}, None, False),
        ({"interests": ["env"]}, {}, None, True),
        ({"role": "colleague"}, {"open_to": "customers"}, None, False),
        ({"role": "colleague"}, {"open_to": "colleagues"}, None, True),
        ({"role": "customer"}, {"open_to": "colleagues"}, None, False),
        ({"left_on": "2026-05-01"}, {}, None, False),
        ({"joined_on": "2026-07-01"}, {}, None, False),
    ],
)
def test_recipients(facts: dict[str, Any], data: dict[str, Any], region: str | None, expected: bool) -> None:
    assert is_recipient(champion(**facts), opportunity(**data), ON, region) is expected


def raw(type_: str, when: str, position: int, **data: Any) -> Any:
    event = cloud_event(type_, {"champion_id": "c", **data}, id=f"e{position}", source="urn:t", time=when)
    return parse_event(event, position=position)


def test_the_later_event_wins_each_field_whatever_the_order() -> None:
    events = [
        raw("champion.joined", "2026-01-01T10:00:00Z", 1, role="customer", joined_on="2026-01-01", region="north"),
        raw("champion.preferences_updated", "2026-02-01T10:00:00Z", 2, region="south", cadence="daily_digest"),
        raw("champion.preferences_updated", "2026-02-01T10:00:00Z", 3, cadence="weekly_digest"),
        raw("champion.left", "2026-03-01T10:00:00Z", 4, left_on="2026-03-01"),
    ]
    results = set()
    for order in itertools.permutations(events):
        facts: dict[str, Any] = {}
        versions: dict[str, Any] = {}
        for event in order:
            fold(facts, versions, event)
        results.add(str(sorted(facts.items())))
    assert len(results) == 1
    folded = Champion.from_facts("c", facts)
    assert (folded.region, folded.cadence.value, folded.left_on) == ("south", "weekly_digest", date(2026, 3, 1))
