"""Starting again after a stop of every kind: the figures are as they were, and new events are counted."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest
from coprod_up import CoprodUp, eventually, ports_free
from set_test import check, engagement, new_run, send, service

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _add(up: CoprodUp, run: str, first: int, count: int) -> None:
    sent = asyncio.run(send(up, [engagement(run, n) for n in range(first, first + count)], spread_over=0))
    assert len(sent.acknowledged) == count


def _counted(up: CoprodUp, expected: int) -> None:
    figures = check(up, asyncio.run(send(up, [], spread_over=0)), 0, [], catch_up_timeout=180)
    assert (figures.counted, figures.duplicated) == (expected, 0), figures.lines()


def _ready(up: CoprodUp, name: str) -> bool | None:
    try:
        return httpx.get(up.url(name, "/readyz"), timeout=5).status_code == 200 or None
    except httpx.HTTPError:
        return None


def _forget_redis(data_dir: Path) -> None:
    """What an operator who deletes the append-only file does: Redis starts empty."""
    leftovers = list((data_dir / "redis").glob("appendonly*"))
    assert leftovers, "no append-only file to delete"
    for leftover in leftovers:
        if leftover.is_dir():
            for part in leftover.iterdir():
                part.unlink()
            leftover.rmdir()
        else:
            leftover.unlink()


def test_sigint_a_lost_append_only_file_and_kill_9_of_everything(up_environment: dict[str, str]) -> None:
    run, data_dir = new_run(), Path(up_environment["COPROD_DATA_DIR"])
    runs: list[CoprodUp] = []

    def start() -> CoprodUp:
        runs.append(CoprodUp(up_environment))
        return runs[-1].start()

    try:
        up = start()
        asyncio.run(send(up, [service()], spread_over=0))
        _add(up, run, 0, 200)
        _counted(up, 200)

        up.signal(signal.SIGINT)
        assert up.wait() == 0
        up = start()
        _counted(up, 200)
        _add(up, run, 200, 100)
        _counted(up, 300)

        up.stop()
        _forget_redis(data_dir)
        up = start()
        _counted(up, 300)
        _add(up, run, 300, 100)
        _counted(up, 400)
        eventually(lambda: _ready(up, "notify"), "notify to be ready on the empty Redis")

        up.signal(signal.SIGKILL)
        up.wait()
        eventually(lambda: ports_free(up.ports) or None, "every port to be free after kill -9 of coprod up", timeout=20)
        up = start()
        _counted(up, 400)
        _add(up, run, 400, 100)
        _counted(up, 500)
    finally:
        for each in runs:
            each.stop()
