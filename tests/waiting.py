"""Waiting, in tests, for what a user would wait for: a probe is asked again until it answers (anything true)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 60, every: float = 0.2) -> T:
    deadline = time.monotonic() + timeout
    while not (found := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} seconds")
        time.sleep(every)
    return found


async def eventually_async(
    probe: Callable[[], Awaitable[T | None]], what: str, timeout: float = 20, every: float = 0.05
) -> T:
    deadline = time.monotonic() + timeout
    while not (found := await probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} seconds")
        await asyncio.sleep(every)
    return found
