"""One rebuild at a time: a second one is refused at once, and a killed one leaves nothing that blocks the next.

PostgreSQL: a session advisory lock on a connection of its own, which the server lets go of when that
connection closes, however the process ended (TCP keepalives find a machine that vanished). SQLite: an OS
lock on a file beside the database file, which the kernel lets go of when the process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.locks import AdvisoryLock

_REBUILD = AdvisoryLock("projections rebuild")  # one rebuild per schema


class RebuildRunning(Exception):
    """Another rebuild holds the lock; the message says whose it is, in plain words."""

    def __init__(self, started: str, by: str) -> None:
        super().__init__(
            f"A rebuild is already running (started at {started} by {by}); wait for it to finish, or stop it "
            "and start again. Nothing was changed."
        )


def _me() -> str:
    return f"{socket.gethostname()}/{os.getpid()}"


@contextlib.asynccontextmanager
async def one_rebuild(engine: AsyncEngine) -> AsyncIterator[None]:
    """Hold the rebuild lock while the block runs; raises RebuildRunning if another rebuild holds it."""
    if engine.dialect.name == "postgresql":
        async with _on_postgres(engine):
            yield
    else:
        with _on_file(_lock_file(engine.url.database)):
            yield


@contextlib.asynccontextmanager
async def _on_postgres(engine: AsyncEngine) -> AsyncIterator[None]:
    async with engine.connect() as conn:
        try:
            for name, value in (("application_name", f"coprod rebuild {_me()}"[:63]), ("tcp_keepalives_idle", "30"),
                                ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "3")):
                await conn.execute(text("SELECT set_config(:name, :value, false)"), {"name": name, "value": value})
            taken = await conn.scalar(text(_REBUILD.take("pg_try_advisory_lock")))
            if not taken:
                raise _running(await _holder(conn))
            await conn.commit()  # the lock is the session's: no transaction stays open beside it
            yield
        finally:
            await conn.invalidate()  # closing the session lets go of the lock, whatever happened above


async def _holder(conn: AsyncConnection) -> tuple[str, datetime] | None:
    found = await conn.execute(text(
        "SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        f"WHERE l.granted AND {_REBUILD.held_in('l')}"
    ))
    row = found.first()
    return (str(row[0]), row[1]) if row is not None else None


def _running(holder: tuple[str, datetime] | None) -> RebuildRunning:
    if holder is None:  # it finished between the two questions
        return RebuildRunning("a moment ago", "another process")
    name, started = holder
    return RebuildRunning(f"{started.astimezone():%H:%M}", name.removeprefix("coprod rebuild ") or "another process")


def _lock_file(database: str | None) -> Path:
    if not database or database == ":memory:":
        return Path(tempfile.gettempdir()) / f"coprod-memory-{os.getpid()}.rebuild-lock"
    return Path(f"{database}.rebuild-lock")


@contextlib.contextmanager
def _on_file(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _running_from(os.pread(fd, 1000, 0).decode(errors="replace")) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{datetime.now().astimezone():%H:%M} {_me()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # and with it the lock; the file stays (removing it would race with the next rebuild)


def _running_from(written: str) -> RebuildRunning:
    started, _, by = written.partition(" ")
    return RebuildRunning(started or "a moment ago", by or "another process")
