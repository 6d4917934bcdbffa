"""The one backoff every loop that keeps trying uses: waits that double from `first` up to `longest`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Backoff:
    """`wait()` after each failure (1, 2, 4 … up to `longest` for `first=1`); `reset()` after a success."""

    first: float
    longest: float
    _next: float = field(default=0.0, init=False)

    def wait(self) -> float:
        wait = self._next or self.first
        self._next = min(self.longest, wait * 2)
        return wait

    def reset(self) -> None:
        self._next = 0.0
