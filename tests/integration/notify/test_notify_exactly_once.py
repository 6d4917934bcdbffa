"""One alert per champion per opportunity, whatever dies or runs twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from notify_doubles import SmtpSink
from notify_harness import Notify, joined, notify, published

from services.notify.channels.base import SENT
from services.notify.deliveries import claim, settle
from services.notify.outcomes import Policy


async def test_a_worker_killed_mid_send_is_taken_over_after_its_lease(system: Notify, smtp: SmtpSink) -> None:
    await system.feed(joined("c1"), joined("c2"))
    await system.contact("c1", email="c1@example.org")
    await system.contact("c2", email="c2@example.org")
    await system.feed(published("o1"))
    async with system.engine.begin() as conn:
        died_holding = await claim(conn, "killed", system.clock.now(), timedelta(seconds=60), limit=10)
    assert len(died_holding) == 2
    survivor = system.dispatcher("survivor")
    assert await survivor.drain() == 0, "the lease still holds"
    system.clock.move(seconds=61)
    assert await survivor.drain() == 2
    async with system.engine.begin() as conn:  # the dead worker's late word changes nothing
        await settle(conn, [Policy(3, 1).outcome(d, SENT, "email", system.clock.now()) for d in died_holding])
    await survivor.drain()
    assert sorted(m["To"] for m in smtp.messages) == ["c1@example.org", "c2@example.org"]
    assert set((await system.statuses()).values()) == {"sent"}


async def test_two_dispatchers_at_once_send_each_alert_once(database: Any, system: Notify, smtp: SmtpSink) -> None:
    champions = [f"c{i}" for i in range(300)]
    await system.feed(*(joined(c) for c in champions))
    await system.contacts({c: {"email": f"{c}@example.org"} for c in champions})
    await system.feed(published("o1"), published("o2"))
    key = system.settings.contact_key.get_secret_value()  # type: ignore[union-attr]
    async with notify(database.url, database.schema, smtp.url, contact_key=key) as other:
        other.clock = system.clock
        first, second = system.dispatcher("first", batch=40), other.dispatcher("second", batch=40)
        counts = await asyncio.gather(first.drain(), second.drain())
    assert sum(counts) == 600 and all(counts)
    addressed = [(m["Subject"], m["To"]) for m in smtp.messages]
    assert len(addressed) == len(set(addressed)) == 600


@pytest.mark.slow
async def test_a_worker_process_killed_mid_send_loses_and_doubles_nothing(
    database: Any, system: Notify, smtp: SmtpSink
) -> None:
    await system.feed(joined("c1"), joined("c2"))
    await system.contacts({c: {"email": f"{c}@example.org"} for c in ("c1", "c2")})
    await system.feed(published("o1"))
    smtp.stall = True
    key = system.settings.contact_key.get_secret_value()  # type: ignore[union-attr]
    here = Path(__file__).parent
    worker = subprocess.Popen(
        [sys.executable, str(here / "notify_killable.py"), database.url, database.schema or "", smtp.url, key],
        cwd=here.parent.parent.parent,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parent.parent.parent)])},
    )
    try:
        await asyncio.wait_for(asyncio.to_thread(_wait_for, smtp), timeout=30)
    finally:
        worker.kill()
        worker.wait()
    smtp.stall = False
    assert set((await system.statuses()).values()) == {"sending"}
    system.clock.move(seconds=61)
    assert await system.dispatcher("after").drain() == 2
    assert sorted(m["To"] for m in smtp.messages) == ["c1@example.org", "c2@example.org"]


def _wait_for(smtp: SmtpSink) -> None:
    while not smtp.stalled.is_set():
        time.sleep(0.05)
