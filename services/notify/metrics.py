"""Notify's Prometheus metrics, in a registry of the app's own."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.sent = Counter("notify_alerts_sent", "alerts sent, by channel", ["channel"], registry=self.registry)
        self.failed = Counter("notify_alerts_failed", "alerts given up on", registry=self.registry)
        self.held = Counter("notify_alerts_held", "alerts held for quiet hours", registry=self.registry)
        self.skipped = Counter(
            "notify_alerts_skipped", "alerts left out: closed or champion left", registry=self.registry
        )
        self.queue = Gauge("notify_queue_depth", "alerts waiting to go (pending or held)", registry=self.registry)
        self.set_aside = Counter(
            "notify_outcomes_set_aside",
            "outcome events ingest refused for good (409 conflict, 422 invalid), by status; kept aside",
            ["status"],
            registry=self.registry,
        )
        self.store_position = Gauge(
            "notify_event_store_position", "every event up to this position has been applied", registry=self.registry
        )
        self.store_head = Gauge(
            "notify_event_store_head", "the last position in the event store", registry=self.registry
        )
        self.store_lag = Gauge(
            "notify_event_store_lag_events", "events in the event store notify has not read yet", registry=self.registry
        )
        self.filled = Counter(
            "notify_events_filled",
            "events applied from the event store that Redis had not brought",
            registry=self.registry,
        )
        self.passed_over = Counter(
            "notify_events_passed_over", "events in the event store that could not be applied", registry=self.registry
        )
