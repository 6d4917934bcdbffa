"""The CloudEvents 1.0 envelope (structured JSON mode) every coprod event travels in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from .base import EventData, Id, Moment


class Envelope(BaseModel):
    """The attributes of an event before its `data` is checked against its `type`."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"]
    id: Id
    source: Id
    type: str = Field(min_length=1)
    time: Moment
    data: dict[str, Any]
    subject: str | None = None
    datacontenttype: Literal["application/json"] | None = None
    dataschema: str | None = None


class Event(BaseModel):
    """An event whose `data` is the model of its `type`; `position` is set once it is stored."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: Id
    source: Id
    type: str
    time: Moment
    data: SerializeAsAny[EventData]
    subject: str | None = None
    datacontenttype: Literal["application/json"] | None = None
    dataschema: str | None = None
    position: int | None = None


def cloud_event(
    event_type: str, data: Mapping[str, Any], *, id: str, source: str, time: str | datetime, subject: str | None = None
) -> dict[str, Any]:
    """An event as it is sent to ingest: CloudEvents 1.0, structured JSON mode (what `Envelope` checks)."""
    event = {
        "specversion": "1.0",
        "id": id,
        "source": source,
        "type": event_type,
        "time": time if isinstance(time, str) else time.isoformat(),
        "datacontenttype": "application/json",
        "data": dict(data),
    }
    return event if subject is None else event | {"subject": subject}
