"""Ingest end to end: HTTP → commit → published on Redis, on PostgreSQL and on the embedded SQLite.

    .venv/bin/python bench/ingest_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Starts `python -m services.ingest` (uvicorn) in a subprocess per store, on 127.0.0.1 only, and prints events/s for
batches of 500 (until Redis holds them all), single-event req/s with p50/p99, and Redis's own XADD pipeline rate as
the ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from redis.asyncio import Redis

from coprod.environment import free_port
from shared.db import drop_schema
from shared.events import cloud_event
from shared.streams import entry_of

KEY = "bench-key-0123456789abcdef"
DATA = {
    "activity_id": "a",
    "occurred_on": "2025-06-01",
    "activity_type": "meeting",
    "level": "consulting",
    "mode": "virtual",
    "topics": ["garden", "food"],
    "summary": "Tea and talk about the garden",
}


class CpuMeter:
    """CPU seconds of this client and of the ingest server over a phase, as shares of one core."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.began = (time.perf_counter(), time.process_time(), self._server_cpu())

    def _server_cpu(self) -> float:
        fields = Path(f"/proc/{self.server_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def server_seconds(self) -> float:
        return self._server_cpu() - self.began[2]

    def shares(self, done: int) -> str:
        """CPU time per event is steadier than rates on a shared machine: other work slows us, it costs us no CPU."""
        wall = time.perf_counter() - self.began[0]
        client = (time.process_time() - self.began[1]) / wall
        server = self._server_cpu() - self.began[2]
        return (
            f"server CPU {server / done * 1e6:.0f} us per request/event; CPU of one core: server {server / wall:.0%},"
            f" bench client {client:.0%}"
        )


@dataclass
class Result:
    store: str
    measure: str
    rate: float
    unit: str
    detail: str = ""


PARTICIPANTS = {"per_event": 0}
"""`--participants N`: each event names N people (of 2,000), for ingest to pseudonymise."""


def event(n: int, run: str) -> dict[str, object]:
    people = [f"cm-{(n * 7 + i) % 2000:06d}" for i in range(PARTICIPANTS["per_event"])]
    data = {**DATA, "activity_id": f"a-{n}", **({"participant_ids": people} if people else {})}
    return cloud_event("engagement.recorded", data, id=f"{run}-{n}", source="urn:bench",
                       time="2025-06-01T10:00:00+01:00")


class RawClient:
    """A bare HTTP/1.1 keep-alive client: the bench should spend its CPU on the server, not on the client."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, content_type: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def start_ingest(env_overrides: dict[str, str], port: int, argv: list[str] | None = None) -> subprocess.Popen[bytes]:
    """`python -m services.ingest`, or `argv` (a wrapper that serves it the same way), on 127.0.0.1:`port`."""
    env = {
        **os.environ,
        **env_overrides,
        "COPROD_INGEST_PORT": str(port),
        "COPROD_HOST": "127.0.0.1",
        "COPROD_API_KEYS": json.dumps([{"name": "bench", "key": KEY, "scopes": ["write", "read"]}]),
        "COPROD_RATE_LIMIT_PER_MINUTE": "100000000",
        "COPROD_LOG_LEVEL": "WARNING",
    }
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(argv or [sys.executable, "-m", "services.ingest"], cwd=root, env=env)


async def wait_ready(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("ingest did not become ready")


async def wait_published(redis: Redis, prefix: str, position: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while int(await redis.get(f"{prefix}head") or 0) < position:
        if time.monotonic() > deadline:
            raise RuntimeError("the relay did not publish everything in time")
        await asyncio.sleep(0.002)


@dataclass
class Target:
    """The ingest server under test and where its events land."""

    pid: int
    port: int
    redis: Redis
    prefix: str


async def batched(target: Target, batches: int, clients: int, start: int) -> tuple[float, str]:
    bodies = [orjson.dumps([event(start + b * 500 + i, "b") for i in range(500)]) for b in range(batches)]
    return await post_batches(target, bodies, clients, start, batches * 500)


async def post_batches(target: Target, bodies: list[bytes], clients: int, start: int, events: int) -> tuple[float, str]:
    """Events/s of posting these batches (JSON arrays of `events` in all) until Redis holds them all."""
    queue = list(reversed(bodies))

    async def worker() -> None:
        client = RawClient(target.port)
        while queue:
            assert await client.post("/v1/events", queue.pop(), "application/cloudevents-batch+json") == 202
        await client.close()

    meter = CpuMeter(target.pid)
    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    await wait_published(target.redis, target.prefix, start + events)
    return events / (time.perf_counter() - began), meter.shares(events)


async def singles(target: Target, count: int, clients: int, start: int) -> tuple[float, float, float, str]:
    bodies = [orjson.dumps(event(start + n, "s")) for n in range(count)]
    queue = list(reversed(bodies))
    latencies: list[float] = []

    async def worker() -> None:
        client = RawClient(target.port)
        while queue:
            body = queue.pop()
            sent = time.perf_counter()
            assert await client.post("/v1/events", body, "application/cloudevents+json") == 202
            latencies.append(time.perf_counter() - sent)
        await client.close()

    meter = CpuMeter(target.pid)
    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    shares = meter.shares(count)
    await wait_published(target.redis, target.prefix, start + count)
    cuts = statistics.quantiles(latencies, n=100)
    return count / elapsed, cuts[49] * 1000, cuts[98] * 1000, shares


async def redis_ceiling(redis: Redis, prefix: str, events: int) -> float:
    entry = entry_of({"position": 1, **event(1, "c")})
    stream = f"{prefix}ceiling"
    began = time.perf_counter()
    for _ in range(events // 500):
        async with redis.pipeline(transaction=True) as pipe:
            for _ in range(500):
                pipe.xadd(stream, entry)  # type: ignore[arg-type]
            await pipe.execute()
    rate = events / (time.perf_counter() - began)
    await redis.delete(stream)
    return rate


async def bench_store(name: str, env: dict[str, str], args: argparse.Namespace, redis: Redis) -> list[Result]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    port = free_port()
    process = start_ingest({**env, "COPROD_REDIS_URL": args.redis_url, "COPROD_STREAM_PREFIX": prefix}, port)
    try:
        await wait_ready(port)
        target = Target(process.pid, port, redis, prefix)
        await batched(target, 2, args.batch_clients, 0)  # warm up
        warm = 1000
        batch_rate, batch_cpu = await batched(target, args.batches, args.batch_clients, warm)
        done = warm + args.batches * 500
        single = await singles(target, args.singles, args.single_clients, done)
    finally:
        process.terminate()
        process.wait(timeout=30)
        await _forget_streams(redis, prefix)
    return [
        Result(name, f"batches of 500 ({args.batch_clients} clients)", batch_rate, "events/s", batch_cpu),
        Result(
            name,
            f"single events ({args.single_clients} clients)",
            single[0],
            "req/s",
            f"p50 {single[1]:.1f} ms, p99 {single[2]:.1f} ms; {single[3]}",
        ),
    ]


async def _forget_streams(redis: Redis, prefix: str) -> None:
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis.delete(*keys)


def print_table(results: list[Result], ceiling: float) -> None:
    print(f"\nRedis XADD pipeline ceiling (MULTI, 500 per round trip): {ceiling:,.0f} events/s\n")
    print(f"{'store':<11}{'measure':<34}{'rate':>14}  {'of ceiling':>10}  detail")
    for result in results:
        rate = f"{result.rate:,.0f} {result.unit}"
        print(f"{result.store:<11}{result.measure:<34}{rate:>14}  {result.rate / ceiling:>10.1%}  {result.detail}")


async def run(args: argparse.Namespace) -> None:
    redis = Redis.from_url(args.redis_url)
    ceiling = await redis_ceiling(redis, f"bench-{uuid.uuid4().hex[:8]}:", 50_000)
    results: list[Result] = []
    if args.database_url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        pg_env = {"COPROD_DATABASE_URL": args.database_url, "COPROD_DATABASE_SCHEMA": schema}
        results += await bench_store("postgresql", pg_env, args, redis)
        await drop_schema(args.database_url, schema)
    with tempfile.TemporaryDirectory() as data_dir:
        results += await bench_store("sqlite", {"COPROD_DATA_DIR": data_dir}, args, redis)
    await redis.aclose()
    print_table(results, ceiling)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL (asyncpg) URL; SQLite is always measured too")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--batches", type=int, default=40, help="batches of 500 events")
    parser.add_argument("--batch-clients", type=int, default=4)
    parser.add_argument("--singles", type=int, default=5000, help="single-event posts")
    parser.add_argument("--single-clients", type=int, default=16)
    parser.add_argument("--participants", type=int, default=0, help="people named by each event (pseudonymised)")
    args = parser.parse_args()
    PARTICIPANTS["per_event"] = args.participants
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
