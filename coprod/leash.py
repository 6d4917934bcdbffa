"""Every child of `coprod up` dies with it, however it dies (kill -9 included).

On Linux each child asks the kernel, between fork and exec, for SIGKILL when its parent goes
(`prctl(PR_SET_PDEATHSIG)`). The kernel means the parent *thread*: a child forked by a thread that
later ends is killed then, so every child is forked by one thread that lives as long as the process.
Other systems have no such call: there, a signal `coprod up` can catch still stops everything, but
after kill -9 its children keep running until stopped by hand.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_PR_SET_PDEATHSIG = 1
LINUX = sys.platform.startswith("linux")

Start = Callable[[], "subprocess.Popen[bytes]"]


def die_with_parent_hook() -> Callable[[], None] | None:
    """The preexec hook for Popen: little code, all of it resolved before the fork."""
    if not LINUX:
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()
    kill = int(signal.SIGKILL)

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:  # the parent went before the request was made
            os._exit(1)

    return die_with_parent


class _ForkingThread:
    """The one long-lived thread that forks every child, so none is killed when some other thread ends."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Start, Future[subprocess.Popen[bytes]]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, start: Start) -> subprocess.Popen[bytes]:
        if threading.current_thread() is self._thread:
            return start()
        self._ensure_running()
        done: Future[subprocess.Popen[bytes]] = Future()
        self._jobs.put((start, done))
        return done.result()

    def _ensure_running(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="coprod-forks-children", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        while True:
            start, done = self._jobs.get()
            try:
                done.set_result(start())
            except BaseException as error:  # handed to the caller, who decides
                done.set_exception(error)


_forker = _ForkingThread()


def spawn(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """`subprocess.Popen(command, **options)`, the child leashed to this process."""
    hook = die_with_parent_hook()
    if hook is None:
        return subprocess.Popen(command, **options)
    return _forker.run(lambda: subprocess.Popen(command, preexec_fn=hook, **options))
