"""The set test, short form: events through a nemesis of kill -9 and SIGSTOP of each service and of Redis.

The long form, with its figures printed: `.venv/bin/python bench/faults.py --events 20000 --faults 25`."""

from __future__ import annotations

import asyncio

import pytest
from coprod_up import CoprodUp
from nemesis import FAULTS, Nemesis
from set_test import check, engagement, new_run, send, service

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_every_acknowledged_event_is_stored_once_and_counted_once(up: CoprodUp) -> None:
    run = new_run()
    asyncio.run(send(up, [service()], spread_over=0))
    events = [engagement(run, n) for n in range(1000)]
    nemesis = Nemesis(up, count=len(FAULTS), every=2.0, stop_for=2.0).start()
    try:
        sent = asyncio.run(send(up, events, spread_over=len(FAULTS) * 3.0))
    finally:
        nemesis.join()
    figures = check(up, sent, len(events), nemesis.injected, catch_up_timeout=300)
    print("\n".join(figures.lines()))
    assert (figures.lost, figures.duplicated, figures.unacknowledged) == (0, 0, 0), figures.lines()
    assert figures.counted == len(events)
    assert len(nemesis.injected) == len(FAULTS), nemesis.injected
