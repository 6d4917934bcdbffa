"""One service as a child process: started with its env, its output tagged and merged, stopped gently."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO

from .catalogue import SERVICES
from .leash import spawn

Emit = Callable[[str], None]
NAME_WIDTH = max(len(name) for name in (*SERVICES, "redis"))

_lock = threading.Lock()


def print_line(line: str) -> None:
    with _lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def service_command(service: str, args: Sequence[str] = ()) -> list[str]:
    """How every part of coprod runs a service: never by importing it."""
    return [sys.executable, "-m", f"services.{service}", *args]


class ServiceProcess:
    """A service running as `python -m services.<name>`, in a session of its own so Ctrl-C reaches us first."""

    def __init__(
        self, name: str, env: Mapping[str, str], emit: Emit = print_line, command: Sequence[str] | None = None
    ) -> None:
        self.name = name
        self.command = list(command or service_command(name))
        self.env = dict(env)
        self.emit = emit
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self._pump: threading.Thread | None = None

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.process = spawn(
            self.command,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self._pump = threading.Thread(target=self._copy_output, args=(self.process.stdout,), daemon=True)
        self._pump.start()

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def send(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(sig)

    def wait(self, deadline: float) -> None:
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=max(0.0, deadline - time.monotonic()))

    def finish(self) -> None:
        if self._pump is not None:
            self._pump.join(timeout=10)  # a busy machine may take seconds to pass on the last lines

    def _copy_output(self, stream: IO[bytes]) -> None:
        tag = self._as_json if self.env.get("COPROD_LOG_FORMAT") == "json" else self._as_text
        for raw in iter(stream.readline, b""):
            self.emit(tag(raw.decode(errors="replace").rstrip()))
        stream.close()

    def _as_text(self, line: str) -> str:
        return f"{self.name:<{NAME_WIDTH}} | {line}"

    def _as_json(self, line: str) -> str:
        """Log lines are JSON already; anything else a service prints (a traceback, say) is made one."""
        return line if line.startswith("{") else json.dumps({"service": self.name, "message": line})


def stop_all(services: Sequence[ServiceProcess], grace: float = 10) -> None:
    """SIGINT to all at once, then SIGTERM, then SIGKILL to whatever is still running, waiting between each."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        running = [service for service in services if service.exit_code is None]
        if not running:
            break
        for service in running:
            service.send(sig)
        deadline = time.monotonic() + wait
        for service in running:
            service.wait(deadline)
    for service in services:
        service.finish()
