"""The KPI endpoints over a big store: p50/p95 of every `/v1/kpis/*` endpoint and of their bare queries, PostgreSQL.

    .venv/bin/python bench/kpi_query_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Fills one generation's tables in a schema of its own with COPY (1,000,000 activities across 100 services in 8
regions by default, `--activities` to scale down; and, unless `--activities-only`, 2,000 training sessions with
20,000 attendances, 50,000 feedback, 1,000 champions, 1,000 opportunities with 100,000 alerts and 10,000
sign-ups), then times, for a whole year and for one region:
- the summary through the HTTP endpoint (in-process ASGI client), each call just after a new event was applied
  ("new event": nothing cached can answer) and called again with nothing new ("repeated");
- the summary's bare query from the rollups ("after") and reading the activities, feedback and alerts themselves
  ("before");
- every breakdown endpoint over HTTP just after a new event, and for `coproduction` its bare query scanning
  `activities` ("before").
`SELECT count(*)` over the activities is the baseline of the run. The schema is dropped at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import httpx
from pydantic import SecretStr
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.projections.app import create_app
from services.projections.migrate import upgrade
from services.projections.settings import ProjectionsSettings
from services.projections.state import create_generation, progress_table
from services.projections.tables import ACTIVITY_TYPES, LEVELS, MODES, ReadModel, read_model
from services.projections.views import Filters, Period, summary
from services.projections.views_model import plan_for_these_values
from services.projections.views_series import GROUPINGS, GroupBy, coproduction
from shared.auth import ApiKey
from shared.db import drop_schema, make_engine

KEY = "bench-key-0123456789abcdef"
YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))
REGIONS = [f"region-{n}" for n in range(8)]
NATIONAL = 0.05
SERVICE_TYPES = ["supported_accommodation", "retirement_living", "floating_support", "other"]
ROLES = ["customer", "colleague"]
KINDS = ["compliment", "comment", "suggestion", "complaint"]


def services(count: int) -> list[tuple[Any, ...]]:
    return [
        (f"svc-{n}", f"Service {n}", SERVICE_TYPES[n % 4], REGIONS[n % 8], date(2018, 1, 1), None)
        for n in range(count)
    ]


def activities(first: int, count: int, places: list[tuple[Any, ...]], rng: random.Random) -> list[dict[str, Any]]:
    """Nine in ten in the benchmark's year, the rest in the year before; one in twenty national (no service, a
    region of its own), the rest at a service and in its region."""
    rows = []
    for n in range(first, first + count):
        service_id, _, service_type, region, _, _ = rng.choice(places)
        day = YEAR.start + timedelta(days=rng.randrange(365) - (365 if n % 10 == 0 else 0))
        outcome = day + timedelta(days=rng.randrange(90)) if rng.random() < 0.5 else None
        if rng.random() < NATIONAL:
            service_id, service_type, region = None, None, rng.choice(REGIONS)
        rows.append({
            "activity_id": f"act-{n}", "recorded": rng.random() > 0.01, "occurred_on": day,
            "level": rng.choice(LEVELS), "activity_type": rng.choice(ACTIVITY_TYPES), "mode": rng.choice(MODES),
            "service_id": service_id, "region": region, "service_type": service_type,
            "customers": rng.randrange(12), "colleagues": rng.randrange(5), "withdrawn": rng.random() < 0.02,
            "outcome_on": outcome,
        })
    return rows


def commitment_events(places: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        (n + 1, f"c-{n}", service_id, "signed", date(2024, 6, 1), date(2025, 6, 1 + n % 28), now)
        for n, (service_id, *_) in enumerate(places)
        if n % 10
    ]


def the_rest(places: list[tuple[Any, ...]], rng: random.Random) -> dict[str, list[tuple[Any, ...]]]:
    """Training, feedback, champions, opportunities, sign-ups and alerts, in their tables' column order."""
    def day() -> date:
        return YEAR.start + timedelta(days=rng.randrange(365))

    sessions = [(f"t-{n}", day(), f"module {n % 12}", rng.choice(MODES), rng.choice(REGIONS)) for n in range(2_000)]
    attendance = {(f"t-{rng.randrange(2_000)}", f"p-{rng.randrange(10_000)}", rng.choice(ROLES)) for _ in range(20_000)}
    feedback = []
    for n in range(50_000):
        received, responded = day(), rng.random() < 0.8
        feedback.append((
            f"f-{n}", rng.choice(places)[0], received, rng.choice(KINDS), "email", f"theme {n % 20}",
            received + timedelta(days=rng.randrange(30)) if responded else None, responded and rng.random() < 0.5,
        ))
    champions = [(f"ch-{n}", rng.choice(ROLES), date(2024, 1, 1), rng.choice(REGIONS), None) for n in range(1_000)]
    opportunities = []
    for n in range(1_000):
        published, service_id = day(), rng.choice(places)[0] if n % 3 == 0 else None
        region = rng.choice(REGIONS) if n % 3 == 1 else None
        scope = "service" if service_id else "regional" if region else "national"
        opportunities.append((f"o-{n}", f"Opportunity {n}", scope, region, service_id, published,
                              published + timedelta(days=60), None))
    sign_ups = {(f"o-{rng.randrange(1_000)}", f"p-{rng.randrange(10_000)}") for _ in range(10_000)}
    notifications = [
        (f"n-{n}", f"o-{n % 1_000}", f"ch-{n % 1_000}", "email", "sent" if n % 50 else "failed", day())
        for n in range(100_000)
    ]
    return {
        "training_sessions": sessions, "attendance": list(attendance), "feedback": feedback,
        "champions": champions, "opportunities": opportunities,
        "sign_ups": [(o, p, rng.choice(ROLES), day()) for o, p in sign_ups], "notifications": notifications,
    }


async def copy(engine: AsyncEngine, schema: str, table: str, rows: list[tuple[Any, ...]], columns: list[str]) -> None:
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table, records=rows, columns=columns, schema_name=schema
        )


async def fill(engine: AsyncEngine, schema: str, model: ReadModel, count: int, others: bool) -> float:
    rng = random.Random(20250401)
    places = services(100)
    started = time.perf_counter()
    await copy(engine, schema, model.services.name, places, [c.name for c in model.services.c])
    for start in range(0, count, 100_000):
        batch = activities(start, min(100_000, count - start), places, rng)
        columns = [c.name for c in model.activities.c]
        records = [tuple(row.get(column) for column in columns) for row in batch]
        await copy(engine, schema, model.activities.name, records, columns)
    await copy(engine, schema, model.commitment_events.name, commitment_events(places),
               [c.name for c in model.commitment_events.c])
    for name, rows in (the_rest(places, rng) if others else {}).items():
        table = getattr(model, name)
        await copy(engine, schema, table.name, rows, [c.name for c in table.c])
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


Probe = Callable[[], Awaitable[object]]


async def timed(probe: Probe, runs: int, before: Probe | None = None) -> tuple[float, float]:
    """p50 and p95 in ms; `before` runs untimed ahead of each call."""
    for _ in range(3):
        await probe()
    took = []
    for _ in range(runs):
        if before is not None:
            await before()
        started = time.perf_counter()
        await probe()
        took.append((time.perf_counter() - started) * 1000)
    percentiles = statistics.quantiles(took, n=100)
    return statistics.median(took), percentiles[94]


def app_for(engine: AsyncEngine, url: str, schema: str) -> httpx.AsyncClient:
    keys = [ApiKey(name="bench", key=SecretStr(KEY), scopes=["read"])]
    app = create_app(ProjectionsSettings(database_url=url, database_schema=schema, api_keys=keys))
    app.state.engine = engine
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://bench", headers={"Authorization": f"Bearer {KEY}"})


Read = Callable[[AsyncConnection], Awaitable[object]]


def summary_of(model: ReadModel, filters: Filters, from_rollup: bool) -> Read:
    async def read(conn: AsyncConnection) -> object:
        return await summary(conn, model, YEAR, filters, from_rollup)

    return read


def scanned_coproduction(model: ReadModel, filters: Filters, group_by: GroupBy) -> Read:
    async def read(conn: AsyncConnection) -> object:
        return await coproduction(conn, model, YEAR, filters, group_by, from_rollup=False)

    return read


def bare(engine: AsyncEngine, read: Read) -> Probe:
    async def probe() -> object:
        async with engine.connect() as conn:
            await plan_for_these_values(conn)
            return await read(conn)

    return probe


def over_http(client: httpx.AsyncClient, path: str, params: dict[str, str]) -> Probe:
    async def probe() -> object:
        response = await client.get(f"/v1/kpis/{path}", params={"from": "2025-04-01", "to": "2026-03-31", **params})
        response.raise_for_status()
        return response

    return probe


def new_event(engine: AsyncEngine, model: ReadModel) -> Probe:
    """What applying an event does to what the endpoints see: the watermark moves on."""
    async def moved() -> object:
        async with engine.begin() as conn:
            return await conn.execute(
                update(progress_table).where(progress_table.c.generation == model.generation)
                .values(watermark=progress_table.c.watermark + 1, head=progress_table.c.head + 1)
            )

    return moved


async def measure(engine: AsyncEngine, url: str, schema: str, model: ReadModel, runs: int, everything: bool) -> None:
    async def count_all() -> object:
        async with engine.connect() as conn:
            return await conn.scalar(text(f"SELECT count(*) FROM {model.activities.name}"))

    base50, base95 = await timed(count_all, runs)
    print(f"baseline   SELECT count(*) FROM activities            p50 {base50:7.1f} ms  p95 {base95:7.1f} ms")
    moved = new_event(engine, model)

    async def show(label: str, name: str, probe: Probe, count: int, before: Probe | None = None) -> None:
        p50, p95 = await timed(probe, count, before)
        print(f"{label:10} {name:40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({p95 / base95:5.2f}x baseline p95)")

    async with app_for(engine, url, schema) as client:
        for label, filters in (("whole year", Filters()), ("one region", Filters(region=REGIONS[3]))):
            params = {"region": filters.region} if filters.region else {}
            few = max(runs // 10, 5)
            await show(label, "HTTP summary, new event", over_http(client, "summary", params), runs, moved)
            await show(label, "HTTP summary, repeated", over_http(client, "summary", params), runs)
            await show(label, "bare summary (rollup, after)", bare(engine, summary_of(model, filters, True)), runs)
            await show(label, "bare summary (scan, before)", bare(engine, summary_of(model, filters, False)), few)
            if not everything:
                continue
            for group_by in cast(tuple[GroupBy, ...], GROUPINGS):
                asked = {**params, "group_by": group_by}
                await show(label, f"HTTP coproduction/{group_by}, new event",
                           over_http(client, "coproduction", asked), runs, moved)
                await show(label, f"bare coproduction/{group_by} (scan, before)",
                           bare(engine, scanned_coproduction(model, filters, group_by)), few)
            for path in ("training", "feedback", "opportunities", "commitments"):
                await show(label, f"HTTP {path}, new event", over_http(client, path, params), runs, moved)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    parser.add_argument("--activities-only", action="store_true", help="leave training, feedback and the rest empty")
    parser.add_argument("--reuse", metavar="SCHEMA", help="measure a schema kept by an earlier --keep run")
    parser.add_argument("--summary-only", action="store_true", help="time the summary, not the breakdowns")
    args = parser.parse_args()
    schema = args.reuse or f"kpi_bench_{uuid.uuid4().hex[:8]}"
    engine = make_engine(args.database_url, schema)
    model = read_model(1)
    try:
        if not args.reuse:
            await upgrade(engine, schema)
            await create_generation(engine, 1)
            took = await fill(engine, schema, model, args.activities, not args.activities_only)
            also = "" if args.activities_only else " and the other tables"
            print(f"filled {args.activities:,} activities (100 services, 8 regions){also} in {took:.1f} s, "
                  f"schema {schema}")
        await measure(engine, args.database_url, schema, model, args.runs, not args.summary_only)
    finally:
        if not (args.keep or args.reuse):
            await drop_schema(args.database_url, schema)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
