"""A small world of two regions, each with services, activities at several levels and a commitment."""

from __future__ import annotations

from typing import Any

from web_system import event

PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}
REGIONS = ("north_west", "south_east")


def service(service_id: str, region: str, name: str) -> dict[str, Any]:
    return event("service.registered", {"service_id": service_id, "name": name,
                                        "service_type": "supported_accommodation", "region": region,
                                        "opened_on": "2024-01-01"})


def activity(activity_id: str, service_id: str, level: str, on: str = "2025-06-01") -> dict[str, Any]:
    return event("engagement.recorded", {
        "activity_id": activity_id, "occurred_on": on, "activity_type": "meeting", "level": level,
        "mode": "face_to_face", "service_id": service_id, "customers_participating": 5,
        "summary": "Customers planned the garden with us"})


def world() -> list[dict[str, Any]]:
    events = [service("nw-1", "north_west", "Oak House"), service("nw-2", "north_west", "Elm Court"),
              service("se-1", "south_east", "Birch Lodge")]
    levels = {"nw-1": ["co_producing", "consulting", "informing"], "nw-2": ["co_producing", "co_producing"],
              "se-1": ["consulting", "engaging", "co_designing", "informing"]}
    for service_id, asked in levels.items():
        events += [activity(f"{service_id}-a{n}", service_id, level) for n, level in enumerate(asked)]
    events.append(activity("nw-1-old", "nw-1", "co_producing", "2024-06-01"))
    events.append(event("commitment.signed", {"commitment_id": "c-nw-1", "service_id": "nw-1",
                                              "signed_on": "2025-05-01", "review_due_on": "2026-05-01"}))
    return events


ACTIVITIES_IN_PERIOD = 9
