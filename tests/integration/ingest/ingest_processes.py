"""Ingest as real processes (`python -m services.ingest`), several of them on one store when a test asks."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import httpx
from ingest_helpers import API_KEYS, INTERNAL

from coprod.environment import free_port

ROOT = Path(__file__).resolve().parents[3]
PIDS: dict[str, int] = {}


class Database(Protocol):
    @property
    def env(self) -> dict[str, str]: ...


def ingest_env(database: Database, redis_url: str, prefix: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    env.update(database.env)
    env.update(
        {
            "COPROD_REDIS_URL": redis_url,
            "COPROD_STREAM_PREFIX": prefix,
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_API_KEYS": json.dumps(API_KEYS),
            "COPROD_SERVICE_API_KEY": INTERNAL,
            "COPROD_RELAY_IDLE_SECONDS": "0.05",
            "COPROD_LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def peak_memory_mib(pid: int) -> float:
    """The most memory the process has held at once (its peak resident set), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for process {pid}")


@contextlib.contextmanager
def ingest_processes(env: dict[str, str], count: int) -> Iterator[list[str]]:
    """`count` ingest processes with `env`, each on a free port; yields their base URLs once all are ready
    (`PIDS[url]` is each one's process id)."""
    ports = [free_port() for _ in range(count)]
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "services.ingest"], cwd=ROOT, env={**env, "COPROD_INGEST_PORT": str(port)}
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, started, strict=True):
            _wait_ready(url, process)
            PIDS[url] = process.pid
        yield urls
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"ingest at {url} exited with {process.returncode}"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"ingest at {url} was not ready within {timeout:.0f} s")
