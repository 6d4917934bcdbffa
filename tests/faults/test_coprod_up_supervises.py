"""`coprod up` keeps its children running, and none outlives it, however it is stopped."""

from __future__ import annotations

import os
import signal

import pytest
import redis
from coprod_up import CoprodUp, eventually, ports_free

from coprod.catalogue import SERVICES

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _redis_answers(up: CoprodUp) -> bool | None:
    try:
        return redis.Redis(port=int(up.env["COPROD_EMBEDDED_REDIS_PORT"]), socket_timeout=1).ping() or None
    except redis.RedisError:
        return None


def test_a_killed_service_or_redis_is_started_again_and_answers(up: CoprodUp) -> None:
    for name in (*SERVICES, "redis"):
        killed, mark = up.pid_of(name), len(up.lines())
        os.kill(killed, signal.SIGKILL)
        said = f"{name} stopped unexpectedly (exit code -9: killed by SIGKILL); starting it again in"
        up.wait_for_line(said, after=mark)
        up.wait_for_line(f"{name} is running again", after=mark)
        assert up.pid_of(name) != killed
        if name == "redis":
            eventually(lambda: _redis_answers(up), "the embedded Redis to answer again")
        else:
            eventually(lambda name=name: up.healthy(name) or None, f"{name} to answer /healthz again")  # type: ignore[misc]


def test_nothing_outlives_coprod_up_killed_with_sigkill(up: CoprodUp) -> None:
    children = [up.pid_of(name) for name in (*SERVICES, "redis")]
    up.signal(signal.SIGKILL)
    up.wait()
    eventually(lambda: ports_free(up.ports) or None, "every port coprod up held to be free", timeout=20)
    eventually(lambda: not any(_alive(pid) for pid in children) or None, "every child of coprod up to be gone")


def test_sigterm_stops_everything_cleanly(up: CoprodUp) -> None:
    up.signal(signal.SIGTERM)
    assert up.wait() == 0
    assert "coprod stopped." in up.lines()
    assert ports_free(up.ports)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
