"""One valid example `data` per event type: the docs, the sample CSVs and the tests all use them."""

from __future__ import annotations

from typing import Any

from shared.events import cloud_event

EXAMPLES: dict[str, dict[str, Any]] = {
    "service.registered": {
        "service_id": "svc-101",
        "name": "Maple Court",
        "service_type": "retirement_living",
        "region": "north-west",
        "opened_on": "2019-04-01",
    },
    "service.closed": {"service_id": "svc-101", "closed_on": "2026-01-31"},
    "commitment.signed": {
        "commitment_id": "sic-7",
        "service_id": "svc-101",
        "signed_on": "2025-05-12",
        "review_due_on": "2026-05-12",
        "customers_signed": 14,
        "colleagues_signed": 6,
    },
    "commitment.renewed": {
        "commitment_id": "sic-7",
        "service_id": "svc-101",
        "renewed_on": "2026-05-01",
        "review_due_on": "2027-05-01",
    },
    "commitment.lapsed": {
        "commitment_id": "sic-7",
        "service_id": "svc-101",
        "lapsed_on": "2027-06-01",
        "reason": "not reviewed in time",
    },
    "engagement.recorded": {
        "activity_id": "act-2041",
        "occurred_on": "2025-06-03",
        "activity_type": "recruitment_panel",
        "level": "co_producing",
        "mode": "face_to_face",
        "service_id": "svc-101",
        "region": "north-west",
        "customers_participating": 3,
        "colleagues_participating": 2,
        "participant_ids": ["p-9f2", "p-1c4"],
        "topics": ["recruitment", "staffing"],
        "accessibility_support": "hearing loop and large-print papers",
        "summary": "Customers sat on the panel for the new scheme manager.",
    },
    "engagement.amended": {"activity_id": "act-2041", "level": "co_designing", "customers_participating": 4},
    "engagement.withdrawn": {"activity_id": "act-2041", "reason": "recorded in error"},
    "engagement.outcome_recorded": {
        "activity_id": "act-2041",
        "outcome": "The panel's preferred candidate was appointed.",
        "communicated_on": "2025-07-01",
    },
    "training.session_held": {
        "session_id": "trn-33",
        "held_on": "2025-09-10",
        "module": "Introduction to co-production",
        "mode": "virtual",
        "region": "north-west",
    },
    "training.attended": {"session_id": "trn-33", "person_id": "p-9f2", "role": "customer"},
    "feedback.received": {
        "feedback_id": "fb-881",
        "service_id": "svc-101",
        "received_on": "2025-08-02",
        "kind": "suggestion",
        "channel": "survey",
        "theme": "garden",
    },
    "feedback.responded": {
        "feedback_id": "fb-881",
        "responded_on": "2025-08-20",
        "action_taken": True,
        "summary": "Raised beds were added to the garden.",
    },
    "champion.joined": {
        "champion_id": "cog-12",
        "role": "colleague",
        "joined_on": "2025-04-15",
        "region": "north-west",
        "interests": ["recruitment", "training"],
        "channels": ["email", "sms"],
        "format": "easy_read",
        "cadence": "daily_digest",
        "quiet_hours": {"start": "21:00:00", "end": "08:00:00"},
        "national_customer_group": True,
    },
    "champion.preferences_updated": {"champion_id": "cog-12", "cadence": "weekly_digest"},
    "champion.left": {"champion_id": "cog-12", "left_on": "2026-02-01", "erase": True},
    "opportunity.published": {
        "opportunity_id": "opp-55",
        "title": "Help choose the new furniture",
        "summary": "Join a short workshop to pick the lounge furniture.",
        "scope": "service",
        "closes_on": "2025-10-01",
        "service_id": "svc-101",
        "topics": ["environment"],
        "open_to": "customers",
        "mode": "face_to_face",
        "starts_at": "2025-10-08T14:00:00+01:00",
        "places": 6,
        "accessibility_support": "step-free room",
        "expenses_paid": True,
        "location": "The lounge at Maple Court",
        "how_to_take_part": "Tell the staff at Maple Court, or your support worker",
    },
    "opportunity.closed": {"opportunity_id": "opp-55", "closed_on": "2025-10-01", "reason": "filled"},
    "opportunity.signed_up": {
        "opportunity_id": "opp-55",
        "person_id": "p-1c4",
        "role": "customer",
        "signed_up_on": "2025-09-12",
    },
    "notification.sent": {
        "notification_id": "ntf-1",
        "opportunity_id": "opp-55",
        "champion_id": "cog-12",
        "channel": "email",
        "sent_at": "2025-09-01T09:00:00+01:00",
    },
    "notification.failed": {
        "notification_id": "ntf-2",
        "opportunity_id": "opp-55",
        "champion_id": "cog-12",
        "channel": "sms",
        "error": "the SMS gateway did not answer",
        "attempts": 3,
    },
}

EMITTED_BY_COPROD = frozenset({"notification.sent", "notification.failed"})


def example_event(event_type: str, event_id: str = "evt-1", source: str = "urn:example:cms") -> dict[str, Any]:
    return cloud_event(event_type, EXAMPLES[event_type], id=event_id, source=source, time="2025-06-03T10:00:00+01:00")
