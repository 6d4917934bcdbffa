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
