"""`coprod up` as an operator runs it: a real process, its log read line by line, its children found by pid."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import TypeVar

import httpx
from waiting import eventually as eventually

from coprod.catalogue import SERVICES
from coprod.environment import free_port, port_is_free
from coprod.leash import spawn

KEY = "faults-" + uuid.uuid4().hex
T = TypeVar("T")


def up_env(data_dir: Path, database_url: str | None = None, schema: str | None = None) -> dict[str, str]:
    """The environment of a `coprod up` of its own: its own ports, its own embedded Redis, maybe PostgreSQL."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    keys = [{"name": "faults", "key": KEY, "sources": ["*"], "types": ["*"], "scopes": ["write", "read", "admin"]}]
    env.update({f"COPROD_{name.upper()}_PORT": str(free_port()) for name in SERVICES})
    env.update(
        {
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_API_KEYS": json.dumps(keys),
            "COPROD_EMBEDDED_REDIS_PORT": str(free_port()),
            "COPROD_EMBEDDED_SMTP_PORT": str(free_port()),
        }
    )
    if database_url:
        env["COPROD_DATABASE_URL"] = database_url
        if schema:
            env["COPROD_DATABASE_SCHEMA"] = schema
    return env


class CoprodUp:
    """One run of `python -m coprod up`; `start()` returns once it says it is running."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.log: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def port(self, name: str) -> int:
        return int(self.env[f"COPROD_{name.upper()}_PORT"])

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port(name)}{path}"

    @property
    def ports(self) -> list[int]:
        names = [f"COPROD_{name.upper()}_PORT" for name in SERVICES]
        return [int(self.env[name]) for name in [*names, "COPROD_EMBEDDED_REDIS_PORT", "COPROD_EMBEDDED_SMTP_PORT"]]

    def start(self, timeout: float = 180) -> CoprodUp:
        command = [sys.executable, "-m", "coprod", "up"]
        self.process = spawn(
            command, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_line("coprod is running.", timeout)
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            with self._lock:
                self.log.append(raw.decode(errors="replace").rstrip())

    def lines(self) -> list[str]:
        with self._lock:
            return list(self.log)

    def wait_for_line(self, text: str, timeout: float = 60, after: int = 0) -> str:
        def probe() -> str | None:
            if self.process is not None and self.process.poll() is not None and text not in "\n".join(self.lines()):
                raise AssertionError(f"coprod up exited ({self.process.returncode}) before saying {text!r}")
            return next((line for line in self.lines()[after:] if text in line), None)

        try:
            return eventually(probe, f"coprod up to say {text!r}", timeout)
        except AssertionError as missing:
            raise AssertionError(f"{missing}\n{self.tail()}") from None

    def tail(self, count: int = 60) -> str:
        return "\n".join(self.lines()[-count:])

    def pid_of(self, name: str) -> int:
        """The pid of coprod up's child running `name` (a service, or "redis"), found in /proc."""
        assert self.process is not None
        marker = "redis-server" if name == "redis" else f"services.{name}"
        found = [pid for pid, command in children_of(self.process.pid) if marker in command]
        if len(found) != 1:
            raise AssertionError(f"coprod up has {len(found)} children running {name}:\n{self.tail()}")
        return found[0]

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = 60) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Ctrl-C, as an operator would; kill -9 if that does not do it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def healthy(self, name: str) -> bool:
        try:
            return httpx.get(self.url(name, "/healthz"), timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


def children_of(parent: int) -> list[tuple[int, str]]:
    """(pid, command line) of every living child of `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(ppid) == parent and state != "Z":
            found.append((int(entry.name), command))
    return found


def ports_free(ports: list[int]) -> bool:
    return all(port_is_free(port) for port in ports)
