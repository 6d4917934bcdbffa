"""Memory of the whole embedded system at rest: `coprod up` on a fresh data dir, RSS of each process and in all.

    .venv/bin/python bench/memory_bench.py

Starts `python -m coprod up` (embedded Redis, SQLite, the outbox SMTP server, the three services) on ports of its
own, waits until every service answers /readyz, lets it idle `--settle` seconds, then samples every process's
memory `--samples` times a second apart and prints the highest of each against the 300 MiB target. RSS counts
the shared libraries in every process that maps them; PSS shares them out, so its total is what the machine
gives up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from freshness_bench import system_env

TARGET_MIB = 300
MIB = 2**20


def wait_ready(ports: dict[str, int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(ports)
    with httpx.Client(timeout=2) as client:
        while pending:
            for name, port in list(pending.items()):
                try:
                    if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.3)


def label(process: psutil.Process) -> str:
    command = process.cmdline()
    if "-m" in command and command.index("-m") + 1 < len(command):
        return " ".join(command[command.index("-m") + 1 :])
    return Path(command[0]).name if command else process.name()


def sample(root: psutil.Process, samples: int) -> dict[str, tuple[float, float]]:
    """The highest (RSS, PSS) in MiB of each process of the tree over `samples` seconds."""
    highest: dict[str, tuple[float, float]] = {}
    for _ in range(samples):
        for process in [root, *root.children(recursive=True)]:
            try:
                memory = process.memory_full_info()
                name = f"{label(process)} (pid {process.pid})"
            except psutil.Error:
                continue
            rss, pss = memory.rss / MIB, getattr(memory, "pss", memory.rss) / MIB
            before = highest.get(name, (0.0, 0.0))
            highest[name] = (max(before[0], rss), max(before[1], pss))
        time.sleep(1)
    return highest


def report(highest: dict[str, tuple[float, float]], settle: float) -> None:
    total_rss = sum(rss for rss, _ in highest.values())
    total_pss = sum(pss for _, pss in highest.values())
    mark = "✓" if total_rss <= TARGET_MIB else "✗"
    print(f"\n`coprod up` on a fresh data dir, ready and idle for {settle:.0f} s, {len(highest)} processes "
          f"(machine shared with other work; memory does not depend on it):\n")
    print("| process | RSS MiB | PSS MiB |")
    print("|---|---:|---:|")
    for name, (rss, pss) in sorted(highest.items(), key=lambda item: -item[1][0]):
        print(f"| {name} | {rss:,.0f} | {pss:,.0f} |")
    print(f"| **in all** | **{total_rss:,.0f}** | **{total_pss:,.0f}** |")
    print(f"\nRSS in all {total_rss:,.0f} MiB against the target of {TARGET_MIB} MiB: "
          f"{total_rss / TARGET_MIB:.2f} of it {mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settle", type=float, default=10, help="seconds to idle after ready, before sampling")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--ready-timeout", type=float, default=180)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = system_env(Path(data_dir), None, "")
        ports = {name: int(env[f"COPROD_{name.upper()}_PORT"]) for name in ("ingest", "projections", "notify")}
        root = Path(__file__).resolve().parents[1]
        up = subprocess.Popen([sys.executable, "-m", "coprod", "up"], cwd=root, env=env, stdout=subprocess.DEVNULL)
        try:
            wait_ready(ports, args.ready_timeout)
            time.sleep(args.settle)
            highest = sample(psutil.Process(up.pid), args.samples)
        finally:
            up.terminate()
            up.wait(timeout=60)
    report(highest, args.settle)


if __name__ == "__main__":
    main()
