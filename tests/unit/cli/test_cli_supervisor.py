"""The waits between restarts, and children that die with their parent whichever thread started them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from coprod.leash import LINUX, spawn
from coprod.supervisor import Restarts, Supervisor, how_it_ended


def test_waits_double_up_to_the_cap_and_start_over_after_a_good_run() -> None:
    backoff = Restarts(first=1, cap=30, reset_after=30)
    assert [backoff.after_running_for(2) for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.after_running_for(45) == 1
    assert backoff.after_running_for(3) == 2


def test_a_killed_child_is_said_in_plain_words_and_started_again_after_its_wait() -> None:
    said: list[str] = []
    now = [0.0]

    class Sleeper:
        started_at, process = 0.0, None

        def start(self) -> None:
            self.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

        @property
        def exit_code(self) -> int | None:
            return None if self.process is None else self.process.poll()

        @property
        def pid(self) -> int | None:
            return None if self.process is None else self.process.pid

    child = Sleeper()
    child.start()
    supervisor = Supervisor(said.append, lambda: Restarts(first=2), clock=lambda: now[0])
    supervisor.add("notify", child)
    assert child.process is not None
    first = child.process
    first.kill()
    first.wait()
    supervisor.watch()
    assert said == ["notify stopped unexpectedly (exit code -9: killed by SIGKILL); starting it again in 2 s"]
    now[0] = 1.9
    supervisor.watch()
    assert child.process is first
    now[0] = 2.0
    supervisor.watch()
    assert child.process is not first and child.exit_code is None
    assert said[-1] == f"notify is running again (pid {child.pid})"
    child.process.kill()
    child.process.wait()


def test_exit_codes_read_plainly() -> None:
    assert how_it_ended(-15) == "exit code -15: killed by SIGTERM"
    assert how_it_ended(3) == "exit code 3"


# A parent that starts a sleeper from a short-lived thread, says its pid, then waits to be killed.
PARENT = textwrap.dedent(
    """
    import sys, threading, time
    from coprod.leash import spawn
    started = []
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    thread = threading.Thread(target=lambda: started.append(spawn(sleeper)))
    thread.start(); thread.join()
    time.sleep(1)  # the starting thread has ended; the sleeper must still be there
    print(started[0].pid, started[0].poll(), flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(not LINUX, reason="the kernel's parent-death signal is Linux only")
def test_a_child_outlives_the_thread_that_started_it_but_not_its_parent() -> None:
    parent = spawn([sys.executable, "-c", PARENT], stdout=subprocess.PIPE)
    assert parent.stdout is not None
    pid, code = parent.stdout.readline().split()
    assert code == b"None"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"

