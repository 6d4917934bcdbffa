"""Reading the event streams in a consumer group: at least once, in batches, nothing stuck for good.

A small redis-py loop of our own, not FastStream's subscriber: what this path needs is the consumer group's
own commands (XREADGROUP over every stream at once, XACK after the commit, XPENDING/XCLAIM, recreating a group
Redis lost), and FastStream's subscriber hides them behind private types and stops for good on NOGROUP. The
relay writes the entries in the same plain format (`shared.streams`). A handler that commits idempotently
gets exactly-once effects:

- groups are created at id 0 (so a group made after the first events still reads them);
- entries are acknowledged (XACK) only after the handler returned, i.e. committed; a batch that fails
  is split until the failing events are alone, so one poison event never holds up the others;
- reading and applying overlap: the reader checks each batch and queues it, and one applier hands the
  handler everything queued meanwhile, so the next batches are read and checked while the database commits
  the last ones (the queue is short, so a slow database slows the reader down);
- a failed entry stays pending; the reclaimer claims entries idle longer than `claim_idle_ms` (a failed or
  a dead consumer's) in batches and re-handles them;
- an entry delivered `max_deliveries` times goes to the group's dead-letter stream with its last error (and
  to `set_aside` first, if given: where a consumer that keeps a watermark records that it passed the event);
- Redis wiped empty (NOGROUP) or away: the reader recreates the groups, or waits and tries again, without a
  restart of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from .backoff import Backoff
from .events import Event, parse_event
from .streams import decode_entry
from .tasks import stop_tasks

log = logging.getLogger(__name__)

T = TypeVar("T")
Handler = Callable[[Sequence[T]], Awaitable[None]]
"""Applies what `Parse` made of each entry and commits; raises if it could not. Must be idempotent (entries come
at least once)."""
Parse = Callable[[dict[str, Any]], T]
"""An entry's event, as the handler takes it; raises ValueError (InvalidEvent) if the entry is not one."""
SetAside = Callable[[dict[str, Any], str], Awaitable[None]]
"""Told of each entry given up on (its body, and why in plain words) before it goes to the dead letters; if it
raises, the entry stays pending and is tried again."""


def stored_event(body: dict[str, Any]) -> Event:
    """The checked event of a stream entry, with its position in the event store."""
    return parse_event(body, position=body.get("position"))


@dataclass(frozen=True)
class Entry:
    stream: str
    entry_id: str
    body: dict[str, Any]


@dataclass(frozen=True)
class ConsumerConfig:
    streams: Sequence[str]
    group: str
    consumer: str
    dead_letters: str
    batch_size: int = 500
    poll_ms: int = 100
    claim_idle_ms: int = 30_000
    max_deliveries: int = 5
    retry_every: float = 1.0
    queued_batches: int = 2


class StreamConsumer(Generic[T]):
    """One consumer of a group over several streams: `ensure_groups`, then `start`, and `stop` at the end.

    Each entry is parsed as its batch arrives (while the previous batches are being applied), so `parse` is the
    place for work that needs no database.
    """

    def __init__(
        self, redis: Redis, config: ConsumerConfig, handle: Handler[T], parse: Parse[T],
        set_aside: SetAside | None = None,
    ) -> None:
        self.redis, self.config, self.handle, self.parse, self.set_aside = redis, config, handle, parse, set_aside
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._errors = f"{config.dead_letters}:errors"
        self._queue: asyncio.Queue[list[tuple[Entry, T]]] = asyncio.Queue(maxsize=config.queued_batches)

    async def ensure_groups(self) -> None:
        for stream in self.config.streams:
            with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists already
                await self.redis.xgroup_create(stream, self.config.group, id="0", mkstream=True)

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._every(0, self._read)),
            asyncio.create_task(self._every(self.config.claim_idle_ms / 2000, self.reclaim)),
            asyncio.create_task(self._apply_queued()),
        ]

    async def stop(self) -> None:
        self._stopping = True
        await stop_tasks(self._tasks)

    async def _read(self) -> None:
        """One XREADGROUP over every stream; each stream's entries are checked and queued as one batch."""
        try:
            answer: Any = await self.redis.xreadgroup(
                self.config.group,
                self.config.consumer,
                dict.fromkeys(self.config.streams, ">"),
                count=self.config.batch_size,
                block=self.config.poll_ms,
            )
        except ResponseError as error:
            if not str(error).startswith("NOGROUP"):
                raise
            log.warning("consumer group %s is gone (Redis restarted empty?); recreating it", self.config.group)
            await self.ensure_groups()
            return
        for stream, entries in answer or []:
            batch = [Entry(_text(stream), _text(entry_id), decode_entry(fields)) for entry_id, fields in entries]
            if parsed := await self._parse(batch):
                await self._queue.put(parsed)

    async def _apply_queued(self) -> None:
        while not self._stopping:
            parsed = await self._queue.get()
            while not self._queue.empty():
                parsed.extend(self._queue.get_nowait())
            try:
                await self._handle(parsed)
            except Exception:  # Redis gone mid-acknowledgement: the entries stay pending and are reclaimed
                log.warning("%d events were applied but not acknowledged", len(parsed), exc_info=True)

    async def _parse(self, entries: Sequence[Entry]) -> list[tuple[Entry, T]]:
        parsed: list[tuple[Entry, T]] = []
        for entry in entries:
            try:
                parsed.append((entry, self.parse(entry.body)))
            except ValueError as error:
                await self._dead_letter(entry, f"it is not a valid event: {error}", deliveries=1)
        return parsed

    async def _handle(self, parsed: list[tuple[Entry, T]]) -> None:
        """Handle, then acknowledge. A batch that fails is split in halves until each failing event is alone, so a
        poison event in a batch of thousands costs a few dozen transactions, not thousands; it stays pending with
        its error (the reclaimer retries it, then dead-letters it)."""
        try:
            await self.handle([item for _, item in parsed])
        except Exception as error:
            if len(parsed) > 1:
                log.warning("a batch of %d events failed (%s); trying each half", len(parsed), error)
                half = len(parsed) // 2
                await self._handle(parsed[:half])
                await self._handle(parsed[half:])
                return
            entry = parsed[0][0]
            log.warning("event at position %s failed: %s", entry.body.get("position"), error)
            await self.redis.hset(self._errors, entry.entry_id, f"{type(error).__name__}: {error}"[:2000])
            return
        await self._ack([entry for entry, _ in parsed])

    async def _ack(self, entries: Sequence[Entry]) -> None:
        by_stream: dict[str, list[str]] = {}
        for entry in entries:
            by_stream.setdefault(entry.stream, []).append(entry.entry_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            for stream, ids in by_stream.items():
                pipe.xack(stream, self.config.group, *ids)
            await pipe.execute()

    async def reclaim(self) -> int:
        """Claim entries idle past `claim_idle_ms`; dead-letter those delivered too often. Returns how many."""
        handled = 0
        for stream in self.config.streams:
            pending = await self.redis.xpending_range(
                stream,
                self.config.group,
                min="-",
                max="+",
                count=self.config.batch_size,
                idle=self.config.claim_idle_ms,
            )
            if not pending:
                continue
            ids: list[Any] = [p["message_id"] for p in pending]
            claimed: list[Any] = await self.redis.xclaim(
                stream, self.config.group, self.config.consumer, self.config.claim_idle_ms, ids
            )
            deliveries = {_text(p["message_id"]): int(p["times_delivered"]) for p in pending}
            retry = []
            for entry_id, fields in claimed:
                if fields is None:
                    continue
                entry = Entry(stream, _text(entry_id), decode_entry(fields))
                if deliveries.get(entry.entry_id, 0) >= self.config.max_deliveries:
                    error = _text(await self.redis.hget(self._errors, entry.entry_id) or b"no error was kept")
                    tries = deliveries[entry.entry_id]
                    await self._dead_letter(entry, f"it failed {tries} times, the last with {error}", tries)
                else:
                    retry.append(entry)
            if parsed := await self._parse(retry):
                await self._handle(parsed)
            handled += len(claimed)
        return handled

    async def _dead_letter(self, entry: Entry, error: str, deliveries: int) -> None:
        if self.set_aside is not None:
            await self.set_aside(entry.body, error)
        fields = {
            "stream": entry.stream,
            "entry_id": entry.entry_id,
            "group": self.config.group,
            "error": error,
            "deliveries": str(deliveries),
            "body": orjson.dumps(entry.body),
        }
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.config.dead_letters, fields)  # type: ignore[arg-type]
            pipe.xack(entry.stream, self.config.group, entry.entry_id)
            pipe.hdel(self._errors, entry.entry_id)
            await pipe.execute()
        log.error("event %s of %s moved to the dead letters: %s", entry.entry_id, entry.stream, error)

    async def _every(self, seconds: float, job: Callable[[], Awaitable[Any]]) -> None:
        # A flag as well as cancel(): a connection attempt under way can swallow a cancellation.
        backoff = Backoff(self.config.retry_every, 5 * self.config.retry_every)
        while not self._stopping:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:  # Redis away: wait, then try again
                wait = backoff.wait()
                log.warning("reading the streams failed; trying again in %.1fs", wait, exc_info=True)
                await asyncio.sleep(wait)
            else:
                backoff.reset()


async def list_dead_letters(redis: Redis, stream: str, limit: int = 100) -> list[dict[str, Any]]:
    entries: list[Any] = await redis.xrange(stream, count=limit)  # type: ignore[assignment]
    return [{"dead_letter_id": _text(i), **{_text(k): _text(v) for k, v in f.items()}} for i, f in entries]


async def replay_dead_letters(redis: Redis, stream: str, handle: Handler[T], parse: Parse[T]) -> tuple[int, int]:
    """Hand each dead letter to `handle` again (after a fix); drop those it takes. (replayed, still failing)"""
    replayed = failing = 0
    entries: list[Any] = await redis.xrange(stream)  # type: ignore[assignment]
    for entry_id, fields in entries:
        body = orjson.loads(fields[b"body"])
        try:
            await handle([parse(body)])
        except Exception as error:
            failing += 1
            log.warning("dead letter %s still fails: %s", _text(entry_id), error)
            continue
        await redis.xdel(stream, entry_id)
        replayed += 1
    return replayed, failing


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
