"""Ingest's Prometheus metrics."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter("coprod_ingest_events_total", "Events answered, by outcome", ["outcome"])
REQUESTS_REFUSED = Counter("coprod_ingest_requests_refused_total", "Requests refused, by HTTP status", ["status"])
APPEND_BATCH_EVENTS = Histogram(
    "coprod_ingest_append_batch_events",
    "Events in one append transaction (group commit)",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000),
)
APPEND_SECONDS = Histogram(
    "coprod_ingest_append_seconds",
    "Time to commit one append transaction",
    buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2),
)
PUBLISHED = Counter("coprod_ingest_published_total", "Events the relay has published to Redis")
RELAY_LAG = Gauge("coprod_ingest_relay_lag_events", "Committed events not yet published to Redis")
RELAY_FAILURES = Counter("coprod_ingest_relay_failures_total", "Times the relay could not publish to Redis")
