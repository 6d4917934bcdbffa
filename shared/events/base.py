"""Building blocks shared by every event's `data` model.

Every number and every date has a bound a real service could reach, so nothing an upstream system sends can
overflow what the projections store or sum (a count of 2**63 was accepted once, and froze the figures).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EventData(BaseModel):
    """The `data` of an event: frozen, and keeps fields it does not know (upstream may know more)."""

    model_config = ConfigDict(frozen=True, extra="allow")


class Role(StrEnum):
    customer = "customer"
    colleague = "colleague"


class Mode(StrEnum):
    face_to_face = "face_to_face"
    virtual = "virtual"
    hybrid = "hybrid"
    written = "written"


MOST_PEOPLE = 100_000
"""The most people one activity, commitment or opportunity can count (a large conference, not a phone number)."""
MOST_ATTEMPTS = 1_000
"""The most tries at sending one alert."""
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
"""The days an event may name: any real record falls between them, and every sum over them stays a date."""

Id = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(max_length=500)]
FreeText = Annotated[str, Field(max_length=5000)]
Count = Annotated[int, Field(ge=0, le=MOST_PEOPLE)]
Attempts = Annotated[int, Field(ge=0, le=MOST_ATTEMPTS)]
_DAYS = {"formatMinimum": FIRST_DAY.isoformat(), "formatMaximum": LAST_DAY.isoformat()}
Date = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, json_schema_extra=_DAYS)]
Moment = Annotated[
    AwareDatetime,
    Field(ge=datetime.combine(FIRST_DAY, time.min, UTC), le=datetime.combine(LAST_DAY, time(23, 59, 59), UTC),
          json_schema_extra={key: f"{day}T00:00:00Z" for key, day in _DAYS.items()}),
]

__all__ = [
    "Attempts", "Count", "Date", "EventData", "FreeText", "Id", "Mode", "Moment", "Name", "Role", "datetime",
]
