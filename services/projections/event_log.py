"""The event store as the projections read it back: the port shared with notify (shared/event_log.py)."""

from shared.event_log import EventLog, IngestEventLog

__all__ = ["EventLog", "IngestEventLog"]
