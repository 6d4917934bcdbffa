"""Building blocks shared by every event's `data` model."""

from __future__ import annotations

from datetime import date, datetime
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


Id = Annotated[str, Field(min_length=1, max_length=200)]
FreeText = Annotated[str, Field(max_length=5000)]
Count = Annotated[int, Field(ge=0)]
Date = date
Moment = AwareDatetime

__all__ = ["Count", "Date", "EventData", "FreeText", "Id", "Mode", "Moment", "Role", "datetime"]
