"""After an upgrade: a live generation built by an older READ_MODEL_VERSION is rebuilt in the background.

Until the rebuild switches generations the old tables keep serving; a figure they cannot give (a column they
lack) answers 503 with how far the rebuild has got (routes.py). Every worker runs `run`: the rebuild lock lets
one rebuild and the others wait, and take over if that one dies. The event store is read from ingest, which may
start later: the rebuild is retried with backoff until it answers.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.backoff import Backoff

from .event_log import EventLog
from .rebuild import rebuild
from .rebuild_lock import RebuildRunning
from .settings import ProjectionsSettings
from .state import Progress, generation_progress, progress
from .tables import READ_MODEL_VERSION

log = logging.getLogger(__name__)
ASSUMED_RATE = 20_000
"""Events a second a rebuild replays on a small machine; the time left is estimated with it until measured."""
FOLD_RATE = 35_000
"""Events a second folded once replayed, before the switch (bench/projections_bench.py, PostgreSQL and SQLite)."""
WAIT_FOR_OTHERS = 2.0
LONGEST_BACKOFF = 30.0


@dataclass(frozen=True)
class Rebuilding:
    """Why the figures may not be whole yet, in plain words, and when to ask again (seconds)."""

    reason: str
    retry_after: int


class Upgrade:
    def __init__(self, engine: AsyncEngine, events: EventLog, settings: ProjectionsSettings) -> None:
        self._engine, self._events, self._settings = engine, events, settings
        self._waiting_for: str | None = None
        self._first: tuple[int, float, int] | None = None  # generation being built, when first seen, its watermark
        self._replayed_at: float | None = None  # when its watermark was first seen at the head: folding since

    async def run(self) -> None:
        """Rebuild if the live generation is outdated; returns once it is not (whoever rebuilt it)."""
        built_with = (await progress(self._engine)).version
        if built_with >= READ_MODEL_VERSION:
            return
        log.warning(
            "The figures' tables were built by an older version (%d); rebuilding them from the event store "
            "(version %d). The old figures are served until then.", built_with, READ_MODEL_VERSION,
        )
        backoff, told = Backoff(1.0, LONGEST_BACKOFF), False
        while (await progress(self._engine)).version < READ_MODEL_VERSION:
            try:
                generation = await rebuild(self._engine, self._events, self._settings, show=False, outdated_only=True)
            except RebuildRunning:
                if not told:
                    log.info("Another worker is rebuilding the figures; this one serves the old figures meanwhile.")
                    told = True
                await asyncio.sleep(WAIT_FOR_OTHERS)
                continue
            except httpx.TransportError as error:
                self._waiting_for = "waiting for the event store (ingest) to answer"
                wait = backoff.wait()
                log.warning(
                    "The event store (ingest at %s) is not answering yet (%s); trying the rebuild again in %.0f s.",
                    self._settings.ingest_url, error, wait,
                )
            except Exception as error:
                self._waiting_for = "the last try stopped with an error, and it is being tried again"
                wait = backoff.wait()
                log.exception("The rebuild after the upgrade stopped (%s); trying again in %.0f s.", error, wait)
            else:
                self._waiting_for = None
                log.warning("The figures are rebuilt: generation %d (version %d) is live.", generation,
                            READ_MODEL_VERSION)
                return
            await asyncio.sleep(wait)
            self._waiting_for = None

    async def rebuilding(self) -> Rebuilding | None:
        """None when the live generation is of this version; otherwise how far its rebuild has got."""
        live = await progress(self._engine)
        if live.version >= READ_MODEL_VERSION:
            return None
        if self._waiting_for is not None:
            return self._say(self._waiting_for, 10)
        building = await generation_progress(self._engine, live.generation + 1)
        if building.head == 0:
            return self._say("just starting", 5)
        done = min(99, building.position * 100 // building.head)  # 99 until the switch: folding comes last
        left = max(math.ceil(self._seconds_left(building)), 1)
        return self._say(f"{done}% done, about {left} s left", min(left, 30))

    def _seconds_left(self, building: Progress) -> float:
        now = time.monotonic()
        if self._first is None or self._first[0] != building.generation or building.position < self._first[2]:
            self._first, self._replayed_at = (building.generation, now, building.position), None
        _, then, position = self._first
        rate = (building.position - position) / (now - then) if now - then >= 1 else 0
        folding = building.head / FOLD_RATE
        if building.position < building.head:
            return (building.head - building.position) / (rate or ASSUMED_RATE) + folding
        self._replayed_at = self._replayed_at or now
        return folding - (now - self._replayed_at)

    @staticmethod
    def _say(how_far: str, retry_after: int) -> Rebuilding:
        return Rebuilding(
            f"The figures are being rebuilt after an upgrade: {how_far}. Try again shortly.", retry_after
        )
