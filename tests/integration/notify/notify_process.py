"""Notify as `coprod up` runs it: `python -m services.notify`, a process of its own, for a test to kill -9."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from notify_ingest import KEY, KEYS

from coprod.environment import free_port

ROOT = Path(__file__).parents[3]


class NotifyProcess:
    def __init__(self, database: Any, redis_url: str, prefix: str, ingest_url: str, smtp_url: str, data_dir: Path):
        url = database.url if database.schema else f"sqlite+aiosqlite:///{data_dir / 'notify.db'}"
        self.port = free_port()
        self.env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")} | {
            "COPROD_DATABASE_URL": url,
            "COPROD_REDIS_URL": redis_url,
            "COPROD_STREAM_PREFIX": prefix,
            "COPROD_API_KEYS": json.dumps(KEYS),
            "COPROD_SERVICE_API_KEY": KEY,
            "COPROD_INGEST_URL": ingest_url,
            "COPROD_SMTP_URL": smtp_url,
            "COPROD_CONTACT_KEY": Fernet.generate_key().decode(),
            "COPROD_WEBHOOK_SECRET": "webhook-secret-for-tests",
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_NOTIFY_PORT": str(self.port),
            "COPROD_LEASE_SECONDS": "2",
            "COPROD_DISPATCH_IDLE_SECONDS": "0.2",
            "COPROD_CATCH_UP_SECONDS": "0.5",
        }
        if database.schema:
            self.env["COPROD_DATABASE_SCHEMA"] = database.schema
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> NotifyProcess:
        self.process = subprocess.Popen([sys.executable, "-m", "services.notify"], cwd=ROOT, env=self.env)
        deadline = time.monotonic() + timeout
        while not self._ready():
            assert self.process.poll() is None, f"notify exited with {self.process.returncode}"
            assert time.monotonic() < deadline, "notify did not become ready"
            time.sleep(0.2)
        return self

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait(self, timeout: float = 30) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
