"""Keeps `coprod up`'s children running: one that stops unexpectedly is started again, later each time."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from shared.backoff import Backoff


class Child(Protocol):
    """A process `coprod up` started: a service or the embedded Redis."""

    @property
    def exit_code(self) -> int | None: ...

    @property
    def pid(self) -> int | None: ...

    started_at: float

    def start(self) -> None: ...


@dataclass
class Restarts:
    """Waits that double from `first` up to `cap`, back to `first` once the child has run `reset_after` seconds."""

    first: float = 1.0
    cap: float = 30.0
    reset_after: float = 30.0

    def __post_init__(self) -> None:
        self._backoff = Backoff(self.first, self.cap)

    def after_running_for(self, seconds: float) -> float:
        if seconds >= self.reset_after:
            self._backoff.reset()
        return self._backoff.wait()


def how_it_ended(code: int) -> str:
    if code < 0:
        try:
            return f"exit code {code}: killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"exit code {code}"
    return f"exit code {code}"


class Supervisor:
    """Call `watch()` often (every half second); it never blocks for a wait, only to start a child again."""

    def __init__(
        self,
        say: Callable[[str], None],
        restarts: Callable[[], Restarts] = Restarts,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.say = say
        self.clock = clock
        self._new_restarts = restarts
        self._children: dict[str, Child] = {}
        self._restarts: dict[str, Restarts] = {}
        self._due: dict[str, float] = {}

    def add(self, name: str, child: Child) -> None:
        self._children[name] = child
        self._restarts.setdefault(name, self._new_restarts())

    def watch(self) -> None:
        for name, child in self._children.items():
            if name in self._due:
                if self.clock() >= self._due[name]:
                    self._start_again(name, child)
            elif (code := child.exit_code) is not None:
                wait = self._restarts[name].after_running_for(self.clock() - child.started_at)
                self.say(f"{name} stopped unexpectedly ({how_it_ended(code)}); starting it again in {wait:g} s")
                self._due[name] = self.clock() + wait

    def _start_again(self, name: str, child: Child) -> None:
        del self._due[name]
        try:
            child.start()
        except Exception as error:  # noqa: BLE001 -- whatever it was, say it and try again later
            self.say(f"{name} could not be started again: {error}")
            return  # its exit code is still there: the next watch() waits longer and tries again
        self.say(f"{name} is running again (pid {child.pid})")
