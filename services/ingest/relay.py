"""The outbox relay: publishes committed events to their Redis streams, in position order, exactly once.

Each round of XADDs and the `{prefix}head` key are written by one Lua script, which Redis runs whole and alone
(as it would a MULTI/EXEC, at one reply instead of two per event), so Redis's head says exactly what it holds;
after any failure the relay resumes from it, and never adds an event twice.

Several ingest processes on one store each run a relay, and each may hold the same positions (its own commits,
and everything it read back from the store). The script adds only positions above the head, and moves the head
to the last one it added, all in one step no other script can interleave with. A relay's batch always starts at
or below head + 1 (it starts after what that relay saw the head reach), and positions are gap-free, so the
streams hold positions 1..head, each once, however many relays race: the one that gets there first adds a
position, the others skip it and carry on from the head the script answers.
"""

from __future__ import annotations

import asyncio
import logging
import time

from redis.asyncio import Redis

from shared.backoff import Backoff
from shared.streams import EVENT_FIELD, encode_entry, stream_for

from .metrics import PUBLISHED, RELAY_FAILURES, RELAY_LAG
from .store import EventStore, StoredEvent

log = logging.getLogger(__name__)
_RECORD_EVERY = 0.5
_MEMORY_LIMIT = 20_000
_PUBLISH = f"""
local head = tonumber(redis.call('GET', KEYS[#KEYS]) or 0)
local added = 0
for i = 1, #KEYS - 1 do
    local position = tonumber(ARGV[2 * i - 1])
    if position > head then
        redis.call('XADD', KEYS[i], '*', '{EVENT_FIELD}', ARGV[2 * i])
        head, added = position, added + 1
    end
end
redis.call('SET', KEYS[#KEYS], head)
return {{head, added}}
"""
"""KEYS: each event's stream, then the head key; ARGV: each event's position and entry, in position order."""


class Relay:
    def __init__(self, store: EventStore, redis: Redis, prefix: str, batch: int, idle: float) -> None:
        self._store = store
        self._redis = redis
        self._script = redis.register_script(_PUBLISH)
        self._prefix = prefix
        self._batch = batch
        self._idle = idle
        self._wake = asyncio.Event()
        self._one_at_a_time = asyncio.Lock()
        self._published: int | None = None
        self._just_committed: list[StoredEvent] = []
        self._committed_head = 0
        self._recorded: int | None = None
        self._recorded_at = 0.0
        self.redis_answers = True
        self.last_error: str | None = None

    @property
    def head_key(self) -> str:
        return f"{self._prefix}head"

    @property
    def published(self) -> int | None:
        return self._published

    def wake(self) -> None:
        self._wake.set()

    def committed(self, events: list[StoredEvent]) -> None:
        """Events this process just committed: published from memory, sparing the store a read."""
        if len(self._just_committed) < _MEMORY_LIMIT:
            self._just_committed.extend(events)
        if events:
            self._committed_head = max(self._committed_head, events[-1].position)
        self._wake.set()

    async def run(self, max_backoff: float) -> None:
        backoff, woken = Backoff(0.05, max_backoff), False
        while True:
            self._wake.clear()
            try:
                await self.catch_up(look_for_others=not woken)
            except Exception as error:  # Redis (or the store) is away: keep trying, HTTP keeps accepting
                self._failed(error)
                await asyncio.sleep(backoff.wait())
                woken = False
                continue
            backoff.reset()
            woken = await self._idle_until_woken()

    async def catch_up(self, look_for_others: bool = True) -> None:
        """Woken by this process's commits, the relay reads the store only if memory misses some of them;
        appends by other processes (a CSV import) are looked for when it has been idle, and after a failure."""
        async with self._one_at_a_time:
            await self._catch_up(look_for_others)

    async def finish(self) -> None:
        """Publish what is committed and record how far that got: the process is stopping."""
        await self.catch_up()
        async with self._one_at_a_time:
            await self._record_progress(force=True)

    async def _catch_up(self, look_for_others: bool) -> None:
        if self._published is None:
            self._published = await self._resume_point()
        while batch := await self._next_batch(look_for_others):
            head, added = await self._publish(batch)
            self._published = max(batch[-1].position, head)
            PUBLISHED.inc(added)
        await self._record_progress()
        self.redis_answers, self.last_error = True, None
        RELAY_LAG.set(0)

    async def _next_batch(self, look_for_others: bool) -> list[StoredEvent]:
        published = self._published or 0
        if batch := self._from_memory():
            return batch
        if look_for_others or self._just_committed or published < self._committed_head:
            return await self._store.read(published, self._batch)
        return []

    def _from_memory(self) -> list[StoredEvent]:
        """The next events, as long as memory holds them without a gap; else the store must be read."""
        published = self._published or 0
        ahead = [event for event in self._just_committed if event.position > published]
        self._just_committed = ahead
        run: list[StoredEvent] = []
        for event in ahead[: self._batch]:
            if event.position != published + len(run) + 1:
                break
            run.append(event)
        return run

    async def _record_progress(self, force: bool = False) -> None:
        """Redis's head key is the exact record; this copy in the store (for a Redis that lost its data) may lag."""
        due = force or time.monotonic() - self._recorded_at >= _RECORD_EVERY
        if self._published is not None and self._published != self._recorded and due:
            await self._store.mark_published(self._published)
            self._recorded, self._recorded_at = self._published, time.monotonic()

    async def _resume_point(self) -> int:
        in_redis = await self._redis.get(self.head_key)
        return int(in_redis) if in_redis is not None else await self._store.published()

    async def _publish(self, batch: list[StoredEvent]) -> tuple[int, int]:
        """Answers Redis's head after the round, and how many of the batch this relay was first to add."""
        streams = [stream_for(event.type, self._prefix) for event in batch]
        args: list[bytes | int] = []
        for event in batch:
            args += (event.position, encode_entry(event.position, event.body))
        head, added = await self._script(keys=[*streams, self.head_key], args=args)
        return int(head), int(added)

    async def _idle_until_woken(self) -> bool:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._idle)
        except TimeoutError:
            return False
        return True

    def _failed(self, error: Exception) -> None:
        if self.redis_answers:
            log.warning("cannot publish to Redis, will keep retrying: %s", error)
        self.redis_answers, self.last_error = False, str(error) or type(error).__name__
        self._published = None
        RELAY_FAILURES.inc()
