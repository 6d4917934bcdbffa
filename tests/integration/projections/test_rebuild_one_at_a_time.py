"""Two rebuilds at once: the second is refused at once, plainly, having changed nothing; a killed one blocks nobody."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

import pytest
from memory_log import MemoryLog
from projection_helpers import Database, dump, env_of, free_port, many, projections_settings, store
from waiting import eventually_async

from services.projections.main import BUSY
from services.projections.rebuild import rebuild
from services.projections.rebuild_lock import RebuildRunning
from services.projections.state import generations, live_generation

LOG = MemoryLog(many(300, seed=5))
HOLD = """
import asyncio
from services.projections.app import open_engine
from services.projections.rebuild_lock import one_rebuild
from services.projections.settings import ProjectionsSettings

async def hold():
    async with one_rebuild(open_engine(ProjectionsSettings())):
        print("holding", flush=True)
        await asyncio.sleep(600)

asyncio.run(hold())
"""


async def test_two_rebuilds_at_once_one_is_refused(database: Database, redis_url: str, stream_prefix: str) -> None:
    settings = projections_settings(database, redis_url, stream_prefix, live_generation_ttl_seconds=0.05)
    async with store(database) as engine:
        outcomes = await asyncio.gather(
            rebuild(engine, LOG, settings, show=False), rebuild(engine, LOG, settings, show=False),
            return_exceptions=True,
        )
        refused = [o for o in outcomes if isinstance(o, RebuildRunning)]
        assert sorted(o for o in outcomes if isinstance(o, int)) == [2] and len(refused) == 1, outcomes
        assert str(refused[0]).startswith("A rebuild is already running (started at ")
        assert await generations(engine) == {2} and await live_generation(engine) == 2
        once = await dump(engine, 2)
        assert await rebuild(engine, LOG, settings, show=False) == 3
        assert await dump(engine, 3) == once and await generations(engine) == {3}


async def test_a_rebuild_running_elsewhere_refuses_the_command_and_a_killed_one_leaves_no_lock(
    database: Database, redis_url: str, stream_prefix: str
) -> None:
    settings = projections_settings(database, redis_url, stream_prefix, live_generation_ttl_seconds=0.05)
    env = {**os.environ, **env_of(settings, free_port())}
    async with store(database) as engine:
        holder = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD, env=env, stdout=asyncio.subprocess.PIPE
        )
        try:
            assert holder.stdout is not None
            assert await asyncio.wait_for(holder.stdout.readline(), 30) == b"holding\n"
            whose = rf"^A rebuild is already running \(started at \d\d:\d\d by .+/{holder.pid}\); wait for it"
            with pytest.raises(RebuildRunning, match=whose):
                await rebuild(engine, LOG, settings, show=False)

            command = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "services.projections", "rebuild", env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(command.communicate(), 60)
            assert command.returncode == BUSY and b"A rebuild is already running" in err, (out, err)
            assert await generations(engine) == {1} and await live_generation(engine) == 1
        finally:
            holder.send_signal(signal.SIGKILL)
            await holder.wait()
        assert await eventually_async(lambda: _rebuilt(engine, settings), "the killed rebuild's lock to go") == 2


async def _rebuilt(engine: Any, settings: Any) -> int | None:
    try:
        generation: int = await rebuild(engine, LOG, settings, show=False)
    except RebuildRunning:
        return None
    return generation
