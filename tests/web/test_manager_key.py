"""A manager is limited twice: by the web's forms, and by the key the web sends their forms with, which ingest
itself holds to their region, so an event outside it is refused even when the web is bypassed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from test_record_activity import stored
from web_system import NORTH_WEST_KEY, add_user, event, signed_in

from coprod.up import System

pytestmark = pytest.mark.slow


def as_manager(system: System, events: list[dict[str, Any]]) -> httpx.Response:
    for sent in events:
        sent["source"] = "urn:coprod:web:user:" + uuid.uuid4().hex
    with httpx.Client(base_url=system.url("ingest"), timeout=30,
                      headers={"Authorization": f"Bearer {NORTH_WEST_KEY}"}) as ingest:
        return ingest.post("/v1/events", json=events)


def recorded(service_id: str) -> dict[str, Any]:
    return event("engagement.recorded", {
        "activity_id": "key-" + uuid.uuid4().hex, "occurred_on": "2023-05-05", "activity_type": "meeting",
        "level": "consulting", "mode": "virtual", "service_id": service_id, "summary": "Residents' meeting"})


def test_ingest_refuses_the_managers_key_outside_their_region(system: System) -> None:
    before = len(stored(system, "engagement.recorded"))
    refused = as_manager(system, [recorded("nw-1"), recorded("se-1")])
    assert refused.status_code == 403
    assert "event 1" in refused.text and "'se-1' (region south_east)" in refused.text
    assert "may record only for region north_west" in refused.text
    national = as_manager(system, [event("training.session_held", {"session_id": "key-t", "held_on": "2023-05-05",
                                                                   "module": "Basics", "mode": "virtual"})])
    assert national.status_code == 403 and "names no service or region" in national.text
    assert len(stored(system, "engagement.recorded")) == before

    mine = recorded("nw-1")
    assert as_manager(system, [mine]).status_code == 202
    moved = event("engagement.withdrawn", {"activity_id": "se-1-a0", "reason": "Not ours to withdraw"})
    answer = as_manager(system, [moved])
    assert answer.status_code == 403 and "'se-1'" in answer.text
    amend = event("engagement.amended", {"activity_id": mine["data"]["activity_id"], "customers_participating": 4})
    assert as_manager(system, [amend]).status_code == 202


def test_a_manager_without_a_limited_key_records_nothing(system: System) -> None:
    south = ("south.manager@example.org", "manager-password-2")
    assert add_user(system, *south, "--role", "manager", "--region", "south_east").returncode == 0
    with signed_in(system, south) as web:
        form = web.get("/activities/new")
        figures = web.get("/")
    assert form.status_code == 403 and "holds no recording key limited to exactly those" in form.text
    assert figures.status_code == 200
