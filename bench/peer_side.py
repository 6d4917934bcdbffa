"""The peer: the `eventsourcing` library on PostgreSQL, doing what a Python team would write with it.

Each coprod event becomes one aggregate (a `Record`, created by one event carrying the CloudEvent's type, source,
id, time and data), saved with `app.save`. The projection is the library's own `ProjectionRunner` with a
`Projection` whose view is a `PostgresTrackingRecorder` that folds each event into a table (one row per record
key, counted) in the same transaction as its tracking row, as the library's documentation shows.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg.sql import SQL, Identifier

KEYS = ("activity_id", "feedback_id", "service_id", "commitment_id", "session_id")


class Record(Aggregate):
    """One coprod event as the peer would hold it: an aggregate created by it."""

    def __init__(self, kind: str, source: str, event_id: str, when: str, data: dict[str, Any]) -> None:
        self.kind = kind
        self.source = source
        self.event_id = event_id
        self.when = when
        self.data = data


class PeerApp(Application[UUID]):
    """The write side: `save` of new records."""


def record_of(body: dict[str, Any]) -> Record:
    return Record(body["type"], body["source"], body["id"], body["time"], body["data"])


def peer_env(database_url: str, schema: str, pool_size: int = 16) -> dict[str, str]:
    """The library's PostgreSQL persistence module, configured from coprod's SQLAlchemy URL."""
    url = urlsplit(database_url.replace("postgresql+asyncpg", "postgresql"))
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.path.lstrip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": "0",
    }


def create_schema(database_url: str, schema: str) -> None:
    conninfo = database_url.replace("postgresql+asyncpg", "postgresql")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA {0}").format(Identifier(schema)))


@dataclass(frozen=True)
class Saved:
    rate: float
    p50_ms: float
    p99_ms: float


def save_one_by_one(app: PeerApp, bodies: list[dict[str, Any]], clients: int) -> Saved:
    """`app.save` of one record per call, from `clients` threads (each with its own pooled connection)."""
    queue = list(reversed(bodies))
    lock = threading.Lock()
    latencies: list[float] = []

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            began = time.perf_counter()
            app.save(record_of(body))
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return Saved(len(bodies) / elapsed, cuts[49] * 1000, cuts[98] * 1000)


def save_in_batches(app: PeerApp, bodies: list[dict[str, Any]], per_save: int) -> float:
    """`app.save` of `per_save` new records in one call (one transaction)."""
    began = time.perf_counter()
    for start in range(0, len(bodies), per_save):
        app.save(*[record_of(body) for body in bodies[start : start + per_save]])
    return len(bodies) / (time.perf_counter() - began)


class FoldedView(PostgresTrackingRecorder):
    """A read model in PostgreSQL: per record key, its kind and how many events touched it."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        table = Identifier(datastore.schema), Identifier(f"{self.tracking_table_name}_folded")
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0}.{1} (key text PRIMARY KEY, kind text, events bigint)").format(*table)
        )
        self.fold_statement = SQL(
            "INSERT INTO {0}.{1} VALUES (%s, %s, 1) ON CONFLICT (key) DO UPDATE "
            "SET kind = EXCLUDED.kind, events = {1}.events + 1"
        ).format(*table)

    def fold(self, key: str, kind: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.fold_statement, (key, kind), prepare=True)
            self._insert_tracking(curs, tracking)


class FoldingProjection(Projection[FoldedView]):
    name = "peer_live"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, domain_event: Record.Created, tracking: Tracking) -> None:
        created = cast(Any, domain_event)
        data: dict[str, Any] = created.data
        key = next((str(data[name]) for name in KEYS if name in data), str(created.originator_id))
        self.view.fold(key, created.kind, tracking)


class RebuildingProjection(FoldingProjection):
    """The same fold under another name: fresh tables, its runner from the start of the store."""

    name = "peer_rebuild"


def run_projection(env: dict[str, str], projection: type[FoldingProjection], events: int) -> float:
    """Events/s of the library's `ProjectionRunner` from the start of the store until `events` are folded."""
    began = time.perf_counter()
    with ProjectionRunner(
        application_class=PeerApp, projection_class=projection, view_class=FoldedView, env=env
    ) as runner:
        runner.wait(events, timeout=3600)
        elapsed = time.perf_counter() - began
    return events / elapsed
