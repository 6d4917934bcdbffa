"""The event contract (docs/domain.md "Events"): one module per family, a registry, one `parse_event`."""

from .base import EventData
from .envelope import Envelope, Event, cloud_event
from .registry import EVENT_TYPES, FAMILIES, InvalidEvent, Problem, family_of, parse_event

__all__ = [
    "cloud_event",
    "EVENT_TYPES",
    "FAMILIES",
    "Envelope",
    "Event",
    "EventData",
    "InvalidEvent",
    "Problem",
    "family_of",
    "parse_event",
]
