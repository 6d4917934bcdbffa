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
    return events + others()


def others() -> list[dict[str, Any]]:
    """An outcome told back, training, feedback, a champion and an opportunity, so no tile is zero."""
    return [
        event("engagement.outcome_recorded", {"activity_id": "nw-1-a1", "outcome": "We moved the meetings to the"
                                              " afternoon", "communicated_on": "2025-07-01"}),
        event("training.session_held", {"session_id": "t-1", "held_on": "2025-09-10", "module": "Co-production 101",
                                        "mode": "face_to_face", "region": "north_west"}),
        *(event("training.attended", {"session_id": "t-1", "person_id": f"p-{n}", "role": role})
          for n, role in enumerate(["customer", "customer", "colleague"])),
        event("feedback.received", {"feedback_id": "f-1", "service_id": "nw-1", "received_on": "2025-08-01",
                                    "kind": "suggestion", "theme": "garden"}),
        event("feedback.received", {"feedback_id": "f-2", "service_id": "se-1", "received_on": "2025-08-02",
                                    "kind": "complaint", "theme": "repairs"}),
        event("feedback.responded", {"feedback_id": "f-1", "responded_on": "2025-08-10", "action_taken": True}),
        event("champion.joined", {"champion_id": "ch-1", "role": "customer", "joined_on": "2025-04-10",
                                  "region": "north_west"}),
        event("opportunity.published", {"opportunity_id": "o-1", "title": "Join the interview panel",
                                        "summary": "Help us choose a new manager", "scope": "regional",
                                        "region": "north_west", "closes_on": "2026-03-01"}),
    ]


ACTIVITIES_IN_PERIOD = 9
