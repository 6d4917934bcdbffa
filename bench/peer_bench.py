"""coprod against its peer (the `eventsourcing` library on PostgreSQL), every mode side by side in one command.

    .venv/bin/python bench/peer_bench.py                 # defaults run in a few minutes on 2 cores
    .venv/bin/python bench/peer_bench.py --profile       # and where the single-event path's time goes

On PostgreSQL (each run in schemas of its own, dropped at the end) and Redis, for each mode the coprod side runs
and then the peer side, straight after, so both meet the same load on a shared machine:
1. one event per request, one client: a CloudEvent POSTed to a real ingest server (`python -m services.ingest`)
   until it is on its Redis stream, req/s and p50/p99; the peer: `app.save` of one new aggregate per call;
2. the same with 16 clients; the peer: `app.save` from 16 threads, each with its own pooled connection;
3. batches: 500 events per request over HTTP until Redis holds them; the peer: `app.save` of 1,000 in one call;
4. live projection of a backlog: the projections' consumer catching up everything in the streams into its
   read model; the peer: its `ProjectionRunner`, from the start of its store, folding into a PostgreSQL table;
5. rebuild: `rebuild()` reading the event store through ingest's HTTP API, as `coprod projections rebuild`
   does; the peer: a fresh projection's runner from the start of its store.
It prints a Markdown table of coprod ÷ peer per mode, beside its target, with ✓ or ✗.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx
import orjson
from ingest_bench import KEY, CpuMeter, Target, event, post_batches, singles, start_ingest, wait_ready
from peer_side import (
    FoldingProjection,
    PeerApp,
    RebuildingProjection,
    create_schema,
    peer_env,
    run_projection,
    save_in_batches,
    save_one_by_one,
)
from phase_profile import IDLE, phases
from projections_bench import live, story
from redis.asyncio import Redis

from coprod.environment import free_port
from services.projections.app import open_store
from services.projections.event_log import IngestEventLog
from services.projections.rebuild import rebuild
from services.projections.runtime import tune_garbage_collector
from services.projections.settings import ProjectionsSettings
from shared.db import drop_schema

MODES = ("single", "concurrent", "batches", "projections")
PEER = f"eventsourcing {version('eventsourcing')}"


def progress(what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Row:
    mode: str
    coprod: str
    peer: str
    ratio: float
    target: float
    also: str = ""
    also_met: bool = True

    @property
    def met(self) -> bool:
        return self.ratio >= self.target and self.also_met

    def markdown(self) -> str:
        target = f"≥ {self.target:g}×" + (f", {self.also}" if self.also else "")
        return f"| {self.mode} | {self.coprod} | {self.peer} | **{self.ratio:.2f}×** | {target} | {_mark(self.met)} |"


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


@dataclass
class Run:
    """One bench run: the ingest server under test, the peer, and how many events each holds."""

    args: argparse.Namespace
    target: Target
    peer: PeerApp
    peer_env: dict[str, str]
    projections: ProjectionsSettings
    stored: int = 0
    peer_stored: int = 0


def peer_bodies(count: int, run: Run, tag: str) -> list[dict[str, Any]]:
    bodies = [event(run.peer_stored + n, tag) for n in range(count)]
    run.peer_stored += count
    return bodies


async def one_by_one(run: Run, clients: int, count: int) -> tuple[Row, str]:
    progress(f"{clients} client(s): coprod, then the peer")
    metrics_before = await append_metrics(run.target.port)
    rate, p50, p99, cpu = await singles(run.target, count, clients, run.stored)
    run.stored += count
    commits, commit_seconds = _minus(await append_metrics(run.target.port), metrics_before)
    peer = save_one_by_one(run.peer, peer_bodies(count, run, f"p{clients}"), clients)
    if clients == 1:
        mode, ratio, also, met = "one event per request, 1 client", 1.5, "p50 ≤ 2 ms", p50 <= 2.0
    else:
        mode, ratio, also, met = f"one event per request, {clients} clients", 3.0, "p99 ≤ 15 ms", p99 <= 15.0
    row = Row(
        mode,
        f"{rate:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        f"{peer.rate:,.0f} saves/s, p50 {peer.p50_ms:.1f} ms, p99 {peer.p99_ms:.1f} ms",
        rate / peer.rate,
        ratio,
        also,
        met,
    )
    note = f"{mode}: {cpu}; {commits:,.0f} commits of {count / max(commits, 1):.1f} events, "
    note += f"{commit_seconds / max(commits, 1) * 1000:.2f} ms each"
    return row, note


async def batches(run: Run) -> tuple[Row, str]:
    bodies = [{key: value for key, value in body.items() if key != "position"} for body in story(run.args.events)]
    requests = [orjson.dumps(bodies[start : start + 500]) for start in range(0, len(bodies), 500)]
    progress("batches: coprod, then the peer")
    rate, cpu = await post_batches(run.target, requests, run.args.batch_clients, run.stored, len(bodies))
    run.stored += len(bodies)
    peer = save_in_batches(run.peer, bodies, 1000)
    run.peer_stored += len(bodies)
    row = Row(
        f"batches (coprod 500 a request, {run.args.batch_clients} clients; peer 1,000 a save)",
        f"{rate:,.0f} events/s",
        f"{peer:,.0f} events/s",
        rate / peer,
        2.0,
    )
    return row, f"batches: {cpu}"


async def projections(run: Run) -> list[Row]:
    peer_events = min(run.args.peer_projection_events, run.peer_stored)
    progress("live projection: coprod, then the peer")
    rate = await live(run.projections, run.stored)
    peer = run_projection(run.peer_env, FoldingProjection, peer_events)
    rows = [Row(
        f"live projection of a backlog (coprod {run.stored:,} in the streams; peer runner over {peer_events:,})",
        f"{rate:,.0f} events/s", f"{peer:,.0f} events/s", rate / peer, 15.0,
    )]
    progress("rebuild: coprod, then the peer")
    rebuilt = await rebuild_through_ingest(run)
    peer = run_projection(run.peer_env, RebuildingProjection, peer_events)
    rows.append(Row(
        f"rebuild through ingest's HTTP API ({run.stored:,}; peer: a new runner from the start over {peer_events:,})",
        f"{rebuilt:,.0f} events/s", f"{peer:,.0f} events/s", rebuilt / peer, 25.0,
    ))
    return rows


async def rebuild_through_ingest(run: Run) -> float:
    """As `coprod projections rebuild` does: the event store read page by page from ingest, switch included."""
    engine, _ = await open_store(run.projections)
    log = IngestEventLog(f"http://127.0.0.1:{run.target.port}", KEY)
    began = time.perf_counter()
    await rebuild(engine, log, run.projections, show=False)
    elapsed = time.perf_counter() - began
    await log.aclose()
    await engine.dispose()
    return run.stored / elapsed


async def append_metrics(port: int) -> tuple[float, float]:
    """(commits, seconds committing) so far, from ingest's own `coprod_ingest_append_seconds` histogram."""
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    values = {
        name: float(value)
        for line in text.splitlines()
        if line.startswith("coprod_ingest_append_seconds_") and " " in line
        for name, value in [line.rsplit(" ", 1)]
    }
    return values.get("coprod_ingest_append_seconds_count", 0.0), values.get("coprod_ingest_append_seconds_sum", 0.0)


def _minus(after: tuple[float, float], before: tuple[float, float]) -> tuple[float, float]:
    return after[0] - before[0], after[1] - before[1]


async def profile(args: argparse.Namespace, redis: Redis, env: dict[str, str]) -> list[str]:
    """One client's single events through an ingest server, first plain, then sampled by pyinstrument."""
    progress("profile of the single-event path")
    schema, prefix, port = f"bench_prof_{uuid.uuid4().hex[:8]}", f"bench-{uuid.uuid4().hex[:8]}:", free_port()
    here, count = Path(__file__).resolve().parent, args.profile_events
    await _create_schema(args.database_url, schema)
    with TemporaryDirectory() as tmp:
        out = Path(tmp) / "session.json"
        overrides = {**env, "COPROD_DATABASE_SCHEMA": schema, "COPROD_STREAM_PREFIX": prefix}
        server = start_ingest(overrides, port, [sys.executable, str(here / "phase_profile.py"), str(out)])
        try:
            await wait_ready(port, timeout=180)
            target = Target(server.pid, port, redis, prefix)
            await singles(target, 300, 1, 0)
            meter = CpuMeter(server.pid)
            plain = await singles(target, count, 1, 300)
            plain_cpu = meter.server_seconds() / count
            server.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.2)
            before = await append_metrics(port)
            began = time.perf_counter()
            sampled = await singles(target, count, 1, 300 + count)
            wall = time.perf_counter() - began
            commits, committing = _minus(await append_metrics(port), before)
            server.send_signal(signal.SIGUSR2)
            while not out.exists():
                await asyncio.sleep(0.1)
            seconds = phases(out)
            if args.profile_session:
                shutil.copy(out, args.profile_session)
        finally:
            server.terminate()
            server.wait(timeout=30)
            await drop_schema(args.database_url, schema)
            await _forget(redis, prefix)
    head = (
        f"One client, {count:,} single events. Without the profiler: {plain[0]:,.0f} req/s, p50 {plain[1]:.2f} ms, "
        f"p99 {plain[2]:.2f} ms, server CPU {plain_cpu * 1e6:,.0f} µs per request. Sampled by pyinstrument (wall "
        f"time, every 0.5 ms): {sampled[0]:,.0f} req/s, {wall / count * 1e6:,.0f} µs of wall time per request; "
        f"{commits:,.0f} commits, {committing / max(commits, 1) * 1e6:,.0f} µs each by ingest's own histogram "
        "(BEGIN + advisory lock, one INSERT … SELECT, COMMIT waiting for the disk)."
    )
    return [head, "", *profile_table(seconds, count, plain_cpu)]


def profile_table(seconds: dict[str, float], events: int, cpu_per_event: float) -> list[str]:
    busy = sum(value for name, value in seconds.items() if name != IDLE)
    lines = [
        "| phase | µs per request, sampled | share of the busy time | ≈ µs of CPU without the profiler |",
        "|---|---:|---:|---:|",
    ]
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        if name != IDLE:
            share = value / busy
            lines.append(f"| {name} | {value / events * 1e6:,.0f} | {share:.1%} | {share * cpu_per_event * 1e6:,.0f} |")
    lines.append(f"| **busy in all** | **{busy / events * 1e6:,.0f}** | 100% | **{cpu_per_event * 1e6:,.0f}** |")
    lines.append(f"| {IDLE} | {seconds.get(IDLE, 0.0) / events * 1e6:,.0f} | | |")
    return lines


async def _forget(redis: Redis, prefix: str) -> None:
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis.delete(*keys)


async def main(args: argparse.Namespace) -> None:
    logging.disable(logging.INFO)  # FastStream logs every batch at INFO: not what is being measured
    tune_garbage_collector()  # as `python -m services.projections` does
    run_id = uuid.uuid4().hex[:8]
    ingest_schema, projections_schema, peer_schema = (f"bench_{part}_{run_id}" for part in ("in", "pr", "peer"))
    prefix, port = f"bench-{run_id}:", free_port()
    redis = Redis.from_url(args.redis_url)
    env = {"COPROD_DATABASE_URL": args.database_url, "COPROD_REDIS_URL": args.redis_url, **dict(args.ingest_env)}
    server = start_ingest({**env, "COPROD_DATABASE_SCHEMA": ingest_schema, "COPROD_STREAM_PREFIX": prefix}, port)
    create_schema(args.database_url, peer_schema)
    await _create_schema(args.database_url, projections_schema)
    peer = PeerApp(peer_env(args.database_url, peer_schema))
    rows: list[Row] = []
    notes: list[str] = []
    try:
        await wait_ready(port, timeout=180)
        settings = ProjectionsSettings.model_validate({
            "database_url": args.database_url, "database_schema": projections_schema, "redis_url": args.redis_url,
            "stream_prefix": prefix, "fill_page": 5000,
        })
        run = Run(args, Target(server.pid, port, redis, prefix), peer, peer_env(args.database_url, peer_schema),
                  settings)
        await warm_up(run)
        for clients, count, mode in ((1, args.singles, "single"), (16, args.concurrent, "concurrent")):
            if mode in args.modes:
                row, note = await one_by_one(run, clients, count)
                rows.append(row)
                notes.append(note)
        if "batches" in args.modes:
            row, note = await batches(run)
            rows.append(row)
            notes.append(note)
        if "projections" in args.modes:
            rows += await projections(run)
        profiled = await profile(args, redis, env) if args.profile else []
    finally:
        peer.close()
        server.terminate()
        server.wait(timeout=30)
        for schema in (ingest_schema, projections_schema, peer_schema):
            await drop_schema(args.database_url, schema)
        await _forget(redis, prefix)
        await redis.aclose()
    report(rows, notes, profiled)


async def warm_up(run: Run) -> None:
    """Connections opened, statements prepared, caches filled on both sides before anything is timed."""
    await singles(run.target, 200, 4, run.stored)
    run.stored += 200
    save_one_by_one(run.peer, peer_bodies(200, run, "w"), 4)


async def _create_schema(url: str, schema: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()


def report(rows: list[Row], notes: list[str], profiled: list[str]) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\ncoprod ÷ {PEER} (PostgreSQL), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {load}. The machine was shared with other work: each mode's peer side ran straight after "
        "its coprod side, so both met the same load; rates swing between runs, ratios less.\n"
    )
    print("| mode | coprod | peer | coprod ÷ peer | target | |")
    print("|---|---|---|---:|---|---|")
    for row in rows:
        print(row.markdown())
    met = sum(row.met for row in rows)
    print(f"\n{met} of {len(rows)} targets met.")
    for note in notes:
        print(f"- {note}")
    if profiled:
        print("\nWhere the single-event path's time goes (ingest alone, sampled):\n")
        print("\n".join(profiled))


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("COPROD_"):
        raise argparse.ArgumentTypeError(f"{text!r} is not COPROD_NAME=VALUE")
    return name, value


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--database-url", default=os.environ.get(
        "COPROD_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"))
    options.add_argument("--redis-url", default=os.environ.get("COPROD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    options.add_argument("--singles", type=int, default=2000, help="single events with one client (each side)")
    options.add_argument("--concurrent", type=int, default=4000, help="single events with 16 clients (each side)")
    options.add_argument("--events", type=int, default=100_000, help="events sent in batches (each side)")
    options.add_argument("--batch-clients", type=int, default=4)
    options.add_argument("--peer-projection-events", type=int, default=15_000,
                         help="events the peer's runner folds, live and rebuild (it folds ~1,000/s)")
    options.add_argument("--modes", nargs="*", choices=MODES, default=list(MODES), help="the modes to run (all)")
    options.add_argument("--profile", action="store_true", help="also profile the single-event path by phase")
    options.add_argument("--profile-events", type=int, default=2000)
    options.add_argument("--profile-session", type=Path, help="keep pyinstrument's session here (see it with "
                         "`pyinstrument --load FILE`)")
    options.add_argument("--ingest-env", type=_setting, action="append", default=[], metavar="COPROD_NAME=VALUE",
                         help="a setting for the ingest server under test (repeatable)")
    return options


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
