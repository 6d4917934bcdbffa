"""A rebuild reads stored events without checking their envelope again: its facts must be the live path's."""

from __future__ import annotations

from typing import Any

import pytest

from services.projections.apply import as_facts
from services.projections.replay import stored_fact
from shared.events import parse_event

STORED: list[dict[str, Any]] = [
    {"type": "engagement.recorded", "time": "2025-06-01T10:00:00+02:00", "data": {
        "activity_id": "a1", "occurred_on": "2025-05-31", "activity_type": "meeting", "level": "consulting",
        "mode": "virtual", "customers_participating": "5", "something_upstream_knows": {"x": 1},
    }},
    {"type": "engagement.amended", "time": "2025-06-02T10:00:00.123456Z", "data": {"activity_id": "a1", "level": None}},
    {"type": "service.registered", "time": "2025-06-03T00:00:00Z", "data": {
        "service_id": "s1", "name": "Oak Court", "service_type": "other", "region": "north",
    }},
    {"type": "commitment.signed", "time": "2025-06-04T09:30:00-05:00", "data": {
        "commitment_id": "c1", "service_id": "s1", "signed_on": "2025-06-04",
    }},
]


@pytest.mark.parametrize("stored", STORED, ids=[s["type"] for s in STORED])
def test_a_stored_event_gives_the_fact_the_live_path_records(stored: dict[str, Any]) -> None:
    raw = {"position": 7, "specversion": "1.0", "id": "e7", "source": "urn:test", **stored}
    [live] = as_facts([parse_event(raw, position=7)])
    assert stored_fact(raw) == live


def test_a_stored_event_that_no_longer_meets_the_contract_is_refused() -> None:
    raw = {"position": 1, "type": "engagement.recorded", "time": "2025-06-01T10:00:00Z", "data": {"activity_id": "a"}}
    with pytest.raises(ValueError):
        stored_fact(raw)
