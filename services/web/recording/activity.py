"""An activity as its events leave it: recorded, then each amendment's fields over it, withdrawn or not, and its
outcome ("you said, we did")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .activity_log import Stored


@dataclass
class Activity:
    activity_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    withdrawn: str | None = None
    outcome: dict[str, Any] | None = None
    history: list[Stored] = field(default_factory=list)

    @property
    def service_id(self) -> str | None:
        found = self.fields.get("service_id")
        return str(found) if found else None


def folded(activity_id: str, events: list[Stored]) -> Activity | None:
    """None when nothing was ever recorded about it."""
    if not events:
        return None
    activity = Activity(activity_id, history=events)
    for stored in events:
        data = {name: value for name, value in stored.data.items() if name != "activity_id" and value is not None}
        if stored.event_type in ("engagement.recorded", "engagement.amended"):
            activity.fields.update(data)
        elif stored.event_type == "engagement.withdrawn":
            activity.withdrawn = str(data.get("reason") or "")
        elif stored.event_type == "engagement.outcome_recorded":
            activity.outcome = data
    return activity
