"""Freshness: from ingest's 202 to the figure showing it, under a steady stream of events.

    .venv/bin/python bench/freshness_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Runs the whole system as `coprod up` does (the three services as processes, embedded Redis), on
PostgreSQL in its own schema (or SQLite without --database-url). Sends `--rate` single events a second
for `--seconds`; a watcher polls `/v1/kpis/summary`'s `as_of.position` and, for every accepted event,
notes when the figures first include its position. Prints p50/p95/p99 of that delay and, as a
baseline from the same run, the round trip of the summary request itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from coprod.environment import free_port
from coprod.up import System
from shared.db import drop_schema
from shared.events import cloud_event

KEY = "bench-" + uuid.uuid4().hex
RUN = uuid.uuid4().hex[:8]


def system_env(data_dir: Path, database_url: str | None, schema: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    keys = [{"name": "bench", "key": KEY, "sources": ["*"], "types": ["*"], "scopes": ["write", "read", "admin"]}]
    env.update(
        {
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_API_KEYS": json.dumps(keys),
            "COPROD_LOG_LEVEL": "WARNING",
            **{f"COPROD_{name}_PORT": str(free_port()) for name in ("WEB", "INGEST", "PROJECTIONS", "NOTIFY")},
            "COPROD_EMBEDDED_REDIS_PORT": str(free_port()),
            "COPROD_EMBEDDED_SMTP_PORT": str(free_port()),
        }
    )
    if database_url:
        env.update({"COPROD_DATABASE_URL": database_url, "COPROD_DATABASE_SCHEMA": schema})
    return env


def event(n: int) -> dict[str, object]:
    data = {
        "activity_id": f"{RUN}-{n}",
        "occurred_on": "2025-06-01",
        "activity_type": "meeting",
        "level": "co_producing",
        "mode": "virtual",
        "service_id": f"svc-{n % 50}",
    }
    return cloud_event("engagement.recorded", data, id=f"{RUN}-{n}", source="urn:bench:freshness",
                       time="2025-06-01T10:00:00Z")


async def send(client: httpx.AsyncClient, url: str, rate: int, seconds: float, accepted: dict[int, float]) -> None:
    started = time.perf_counter()
    in_flight: set[asyncio.Task[None]] = set()

    headers = {"content-type": "application/cloudevents+json"}

    async def one(n: int) -> None:
        for attempt in range(3):  # a kept-alive connection the server has just closed: send again (same id: once)
            try:
                response = await client.post(url, json=event(n), headers=headers)
                break
            except httpx.TransportError:
                if attempt == 2:
                    raise
        response.raise_for_status()
        accepted[int(response.json()["events"][0]["position"])] = time.perf_counter()

    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        task = asyncio.create_task(one(n))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)


async def watch(
    client: httpx.AsyncClient,
    url: str,
    accepted: dict[int, float],
    seen: dict[int, float],
    done: asyncio.Event,
    round_trips: list[float],
) -> None:
    while not (done.is_set() and len(seen) == len(accepted)):
        asked = time.perf_counter()
        position = (await client.get(url)).json()["as_of"]["position"]
        now = time.perf_counter()
        round_trips.append(now - asked)
        for p in [p for p in accepted if p <= position and p not in seen]:
            seen[p] = now
        await asyncio.sleep(0.005)


async def measure(system: System, rate: int, seconds: float) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    accepted: dict[int, float] = {}
    seen: dict[int, float] = {}
    round_trips: list[float] = []
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        summary = system.url("projections", "/v1/kpis/summary?from=2025-04-01&to=2026-03-31")
        watcher = asyncio.create_task(watch(client, summary, accepted, seen, done, round_trips))
        await send(client, system.url("ingest", "/v1/events"), rate, seconds, accepted)
        done.set()
        await asyncio.wait_for(watcher, timeout=120)
    delays = sorted(seen[p] - accepted[p] for p in accepted)
    print(f"{len(delays)} events at {rate}/s for {seconds:.0f}s")
    print(f"baseline: the summary request itself  p50 {_ms(round_trips, 50)}  p99 {_ms(round_trips, 99)}")
    print(
        f"202 → figure shows it                 p50 {_ms(delays, 50)}  p95 {_ms(delays, 95)}  "
        f"p99 {_ms(delays, 99)}  (target p99 ≤ 500 ms; {_pct(delays, 99) / _pct(round_trips, 99):.1f}× baseline)"
    )


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def _ms(values: list[float], q: int) -> str:
    return f"{_pct(values, q) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL (asyncpg) URL; SQLite files when absent")
    parser.add_argument("--rate", type=int, default=1000, help="events a second")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    schema = f"bench_fresh_{RUN}"
    with tempfile.TemporaryDirectory() as tmp, System(system_env(Path(tmp), args.database_url, schema)) as system:
        asyncio.run(measure(system, args.rate, args.seconds))
    if args.database_url:
        asyncio.run(drop_schema(args.database_url, schema))


if __name__ == "__main__":
    main()
