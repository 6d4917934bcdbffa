"""The nemesis: kill -9 and SIGSTOP/SIGCONT of each service and of Redis, one fault at a time, under `coprod up`."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field

from coprod_up import CoprodUp, children_of

# Every kind of fault on every target, in an order that spreads them: the first few cover each kind once.
FAULTS: tuple[tuple[str, str], ...] = (
    ("kill", "ingest"),
    ("kill", "projections"),
    ("kill", "redis"),
    ("stop", "ingest"),
    ("kill", "notify"),
    ("stop", "projections"),
    ("stop", "redis"),
    ("stop", "notify"),
)


@dataclass
class Nemesis:
    """Injects `count` faults, one every `every` seconds; a stopped process is continued after `stop_for`."""

    up: CoprodUp
    count: int
    every: float = 3.0
    stop_for: float = 2.0
    injected: list[str] = field(default_factory=list)
    _halt: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Nemesis:
        self._thread = threading.Thread(target=self._run, name="nemesis", daemon=True)
        self._thread.start()
        return self

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def halt(self) -> None:
        self._halt.set()
        self.join()

    def _run(self) -> None:
        for n in range(self.count):
            if self._halt.wait(self.every):
                return
            action, target = FAULTS[n % len(FAULTS)]
            pid = self._pid(target)
            if pid is None:  # still being started again after an earlier fault: it gets the next one
                continue
            if action == "kill":
                os.kill(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGSTOP)
                time.sleep(self.stop_for)
                os.kill(pid, signal.SIGCONT)
            self.injected.append(f"{action} {target}")

    def _pid(self, target: str, wait: float = 60) -> int | None:
        """The target's pid once it runs (it may be being started again); None if it does not come back in time."""
        assert self.up.process is not None
        marker = "redis-server" if target == "redis" else f"services.{target}"
        deadline = time.monotonic() + wait
        while not self._halt.is_set() and time.monotonic() < deadline:
            found = [pid for pid, command in children_of(self.up.process.pid) if marker in command]
            if len(found) == 1:
                return found[0]
            time.sleep(0.2)
        return None
