"""The KPI summary over a big store: p50/p95 of `/v1/kpis/summary` and of its bare query, on PostgreSQL.

    .venv/bin/python bench/kpi_query_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Fills one generation's tables in a schema of its own with COPY (1,000,000 activities across 100 services in 8
regions by default; `--activities` to scale down), then times, for a whole year and for one region: the summary
through the HTTP endpoint (in-process ASGI client), the bare query from the `activity_days` rollup ("after"), and
the bare query scanning `activities` ("before"). `SELECT count(*)` over the activities is the baseline of the run.
The schema is dropped at the end unless `--keep`.
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
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.projections.app import create_app
from services.projections.migrate import upgrade
from services.projections.settings import ProjectionsSettings
from services.projections.state import create_generation
from services.projections.tables import ACTIVITY_TYPES, LEVELS, MODES, ReadModel, read_model
from services.projections.views import Filters, Period, summary
from services.projections.views_model import plan_for_these_values
from shared.auth import ApiKey
from shared.db import make_engine

KEY = "bench-key-0123456789abcdef"
YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))
REGIONS = [f"region-{n}" for n in range(8)]
NATIONAL = 0.05
SERVICE_TYPES = ["supported_accommodation", "retirement_living", "floating_support", "other"]


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


async def copy(engine: AsyncEngine, schema: str, table: str, rows: list[tuple[Any, ...]], columns: list[str]) -> None:
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table, records=rows, columns=columns, schema_name=schema
        )


async def fill(engine: AsyncEngine, schema: str, model: ReadModel, count: int) -> float:
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
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


async def timed(probe: Callable[[], Awaitable[object]], runs: int) -> tuple[float, float]:
    for _ in range(3):
        await probe()
    took = []
    for _ in range(runs):
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


def bare(engine: AsyncEngine, model: ReadModel, filters: Filters, from_rollup: bool) -> Callable[[], Awaitable[object]]:
    async def probe() -> object:
        async with engine.connect() as conn:
            await plan_for_these_values(conn)
            return await summary(conn, model, YEAR, filters, from_rollup)

    return probe


def over_http(client: httpx.AsyncClient, params: dict[str, str]) -> Callable[[], Awaitable[object]]:
    async def probe() -> object:
        response = await client.get("/v1/kpis/summary", params={"from": "2025-04-01", "to": "2026-03-31", **params})
        response.raise_for_status()
        return response

    return probe


async def measure(engine: AsyncEngine, url: str, schema: str, model: ReadModel, runs: int) -> None:
    async def count_all() -> object:
        async with engine.connect() as conn:
            return await conn.scalar(text(f"SELECT count(*) FROM {model.activities.name}"))

    base50, base95 = await timed(count_all, runs)
    print(f"baseline  SELECT count(*) FROM activities        p50 {base50:7.1f} ms  p95 {base95:7.1f} ms")
    async with app_for(engine, url, schema) as client:
        for label, filters in (("whole year", Filters()), ("one region", Filters(region=REGIONS[3]))):
            params = {"region": filters.region} if filters.region else {}
            probes = [
                ("HTTP /v1/kpis/summary (rollup)", over_http(client, params)),
                ("bare summary query (rollup, after)", bare(engine, model, filters, True)),
                ("bare summary query (scan, before)", bare(engine, model, filters, False)),
            ]
            for name, probe in probes:
                p50, p95 = await timed(probe, runs if "before" not in name else max(runs // 10, 5))
                print(f"{label:10} {name:36} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({p95 / base95:5.2f}x baseline p95)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    parser.add_argument("--reuse", metavar="SCHEMA", help="measure a schema kept by an earlier --keep run")
    args = parser.parse_args()
    schema = args.reuse or f"kpi_bench_{uuid.uuid4().hex[:8]}"
    engine = make_engine(args.database_url, schema)
    model = read_model(1)
    try:
        if not args.reuse:
            await upgrade(engine, schema)
            await create_generation(engine, 1)
            took = await fill(engine, schema, model, args.activities)
            print(f"filled {args.activities:,} activities (100 services, 8 regions) in {took:.1f} s, schema {schema}")
        await measure(engine, args.database_url, schema, model, args.runs)
    finally:
        if not (args.keep or args.reuse):
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
