"""The activity form: its choices, and its fields read into an `engagement.recorded` event's data."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData

from shared.events.base import Mode
from shared.events.engagement import ActivityType

from ..pages.formatting import label
from .fields import Reading
from .ladder import DECIDED, DELIVERED, level_of

NATIONAL = "national"
TOPICS = ("environment", "recruitment", "safety", "food", "activities", "digital", "repairs", "wellbeing",
          "equality", "communication", "money", "gardens")
ACTIVITY_TYPES = [(kind.value, label(kind.value)) for kind in ActivityType]
MODES = [(mode.value, label(mode.value)) for mode in Mode]


def read_activity(form: FormData, services: list[str], today: date) -> tuple[dict[str, Any], Reading]:
    """The event's data (complete only when the reading has no errors) and the reading itself."""
    r = Reading(form)
    data: dict[str, Any] = {}
    on = r.day("occurred_on", "the activity took place", today)
    service = r.choice("service_id", [*services, NATIONAL], "Choose the service the activity was for")
    kind = r.choice("activity_type", [k for k, _ in ACTIVITY_TYPES], "Choose what kind of activity it was")
    mode = r.choice("mode", [m for m, _ in MODES], "Choose how people took part")
    decided = r.choice("decided", [k for k, _ in DECIDED], "Choose who decided what would happen")
    delivered = r.choice("delivered", [k for k, _ in DELIVERED], "Choose who delivered it")
    data.update(occurred_on=on.isoformat() if on else None, activity_type=kind, mode=mode)
    if service and service != NATIONAL:
        data["service_id"] = service
    if decided and delivered:
        data["level"] = level_of(decided, delivered).value
    data["customers_participating"] = r.count("customers_participating", "customers")
    data["colleagues_participating"] = r.count("colleagues_participating", "colleagues")
    data["topics"] = r.choices("topics", TOPICS) or None
    data["accessibility_support"] = r.text("accessibility_support", "accessibility support")
    data["summary"] = r.text("summary", "summary", required="Enter a summary of what happened")
    return {name: value for name, value in data.items() if value is not None}, r
