"""The fault suite's long form: the set test with many events and faults, its figures printed.

    .venv/bin/python bench/faults.py --events 20000 --faults 25
    .venv/bin/python bench/faults.py --events 20000 --faults 25 --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Runs `coprod up` as an operator does (a real process, its services and embedded Redis with its append-only
file), on SQLite or on PostgreSQL in a schema of its own. Sends `--events` distinct engagement.recorded events
through ingest in batches while a nemesis injects `--faults` faults: kill -9 and SIGSTOP/SIGCONT of ingest,
projections, notify and Redis in turn; `coprod up` starts again whatever was killed. Then every acknowledged
event must be stored once and counted once in `/v1/kpis/summary`: prints events, faults, lost, duplicated and
the time the figures took to catch up after the last event and the last fault. Exits 1 if anything was lost
or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests" / part) for part in ("faults", "")]

from coprod_up import CoprodUp, up_env  # noqa: E402
from nemesis import Nemesis  # noqa: E402
from set_test import check, engagement, new_run, send, service  # noqa: E402

from shared.db import drop_schema  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--faults", type=int, default=25)
    parser.add_argument("--every", type=float, default=4.0, help="seconds between faults")
    parser.add_argument("--stop-for", type=float, default=3.0, help="seconds a SIGSTOPped process stays stopped")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…); SQLite when not given")
    args = parser.parse_args()
    schema = f"faults_{uuid.uuid4().hex[:12]}" if args.database_url else None
    with tempfile.TemporaryDirectory(prefix="coprod-faults-") as state:
        up = CoprodUp(up_env(Path(state), args.database_url, schema))
        try:
            return _run(up, args)
        finally:
            up.stop()
            if args.database_url and schema:
                asyncio.run(drop_schema(args.database_url, schema))


def _run(up: CoprodUp, args: argparse.Namespace) -> int:
    began = time.monotonic()
    up.start()
    print(f"coprod up started in {time.monotonic() - began:.1f} s on {args.database_url or 'SQLite'}", flush=True)
    asyncio.run(send(up, [service()], spread_over=0))
    run = new_run()
    events = [engagement(run, n) for n in range(args.events)]
    nemesis = Nemesis(up, count=args.faults, every=args.every, stop_for=args.stop_for).start()
    began = time.monotonic()
    try:
        sent = asyncio.run(send(up, events, spread_over=args.faults * (args.every + args.stop_for / 2)))
    finally:
        nemesis.join()
    print(f"sent for {time.monotonic() - began:.1f} s", flush=True)
    figures = check(up, sent, len(events), nemesis.injected, catch_up_timeout=900)
    print("\n".join(figures.lines()))
    return 0 if (figures.lost, figures.duplicated, figures.unacknowledged) == (0, 0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
