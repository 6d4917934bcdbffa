"""Reading the event streams in a consumer group: at least once, in batches, nothing stuck for good.

FastStream 0.7.8's batch stream subscriber does the reading (XREADGROUP with `max_records`). Around it
this module adds what that version lacks, so a handler that commits idempotently gets exactly-once
effects:

- groups are created here at id 0 (FastStream would create them at `$` and miss earlier entries);
- entries are acknowledged (XACK) only after the handler returned, i.e. committed; a batch that fails
  is split until the failing events are alone, so one poison event never holds up the others;
- reading and applying overlap: each stream's subscriber checks its batch and queues it, and one applier
  hands the handler everything queued meanwhile, so the next batches are read and checked while the
  database commits the last ones (the queue is short, so a slow database slows the readers down);
- a failed entry stays pending (FastStream's nack does not re-deliver); the reclaimer claims entries
  idle longer than `claim_idle_ms` (a failed or a dead consumer's) in batches and re-handles them;
- an entry delivered `max_deliveries` times goes to the group's dead-letter stream with its last error (and
  to `set_aside` first, if given: where a consumer that keeps a watermark records that it passed the event);
- Redis wiped empty (NOGROUP stops a FastStream subscriber): the supervisor recreates the groups and
  restarts the subscriber, without a restart of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from faststream import AckPolicy
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from faststream.redis.message import FAKE_CONSUMER, RedisBatchStreamMessage
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from .events import Event, parse_event
from .streams import WIRE_FORMAT
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
    supervise_every: float = 1.0
    queued_batches: int = 2


class StreamConsumer(Generic[T]):
    """One consumer of a group over several streams; `attach` before the broker starts, then `start`.

    Each entry is parsed as its batch arrives (while the previous batches are being applied), so `parse` is the
    place for work that needs no database.
    """

    def __init__(
        self, broker: RedisBroker, redis: Redis, config: ConsumerConfig, handle: Handler[T], parse: Parse[T],
        set_aside: SetAside | None = None,
    ) -> None:
        self.broker, self.redis, self.config, self.handle, self.parse = broker, redis, config, handle, parse
        self.set_aside = set_aside
        self._subscribers: list[Any] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._errors = f"{config.dead_letters}:errors"
        self._queue: asyncio.Queue[list[tuple[Entry, T]]] = asyncio.Queue(maxsize=config.queued_batches)

    def attach(self) -> None:
        for stream in self.config.streams:
            sub = self.broker.subscriber(
                stream=StreamSub(
                    stream,
                    group=self.config.group,
                    consumer=self.config.consumer,
                    batch=True,
                    max_records=self.config.batch_size,
                    polling_interval=self.config.poll_ms,
                ),
                ack_policy=AckPolicy.MANUAL,
                parser=_unparsed_batch,
                decoder=_decoded_entries,
            )
            sub(self._on_batch)
            self._subscribers.append(sub)

    async def ensure_groups(self) -> None:
        for stream in self.config.streams:
            with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists already
                await self.redis.xgroup_create(stream, self.config.group, id="0", mkstream=True)

    async def start(self) -> None:
        """Background upkeep; call after `ensure_groups` and `broker.start()`."""
        self._tasks = [
            asyncio.create_task(self._every(self.config.supervise_every, self._supervise)),
            asyncio.create_task(self._every(self.config.claim_idle_ms / 2000, self.reclaim)),
            asyncio.create_task(self._apply_queued()),
        ]

    async def stop(self) -> None:
        self._stopping = True
        await stop_tasks(self._tasks)

    async def _on_batch(self, body: list[dict[str, Any]], msg: RedisStreamMessage) -> None:
        stream = msg.raw_message["channel"]
        ids = [i.decode() if isinstance(i, bytes) else str(i) for i in msg.raw_message["message_ids"]]
        parsed = await self._parse([Entry(stream, entry_id, item) for entry_id, item in zip(ids, body, strict=True)])
        if parsed:
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
                entry = Entry(stream, _text(entry_id), decode_fields(fields))
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

    async def _supervise(self) -> None:
        for stream, sub in zip(self.config.streams, self._subscribers, strict=True):
            if not await self._group_exists(stream):
                log.warning(
                    "consumer group %s on %s is gone (Redis restarted empty?); recreating it", self.config.group, stream
                )
                await self.ensure_groups()
            if not sub.running:
                await self._restart(sub)

    @staticmethod
    async def _restart(sub: Any) -> None:
        # In a task of its own: FastStream's start enters anyio cancel scopes that must not
        # outlive it in the supervisor's task (they swallowed the supervisor's cancellation).
        await asyncio.wait_for(asyncio.create_task(sub.start()), timeout=10)

    async def _group_exists(self, stream: str) -> bool:
        try:
            groups = await self.redis.xinfo_groups(stream)
        except ResponseError:
            return False
        return any(_text(g["name"]) == self.config.group for g in groups)

    async def _every(self, seconds: float, job: Callable[[], Awaitable[Any]]) -> None:
        # A flag as well as cancel(): a connection attempt under way can swallow a cancellation.
        while not self._stopping:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:
                log.warning("stream upkeep failed; trying again in %.1fs", seconds, exc_info=True)


async def _unparsed_batch(message: Mapping[str, Any]) -> RedisBatchStreamMessage:
    # FastStream's own batch parser decodes each entry, encodes the whole batch as JSON and decodes it
    # again; `_decoded_entries` decodes each entry once instead.
    return RedisBatchStreamMessage(raw_message=message, body=b"", consumer=FAKE_CONSUMER, group=None)


async def _decoded_entries(msg: RedisBatchStreamMessage) -> list[dict[str, Any]]:
    return [decode_fields(fields) for fields in msg.raw_message["data"]]


def decode_fields(fields: dict[bytes, bytes]) -> dict[str, Any]:
    """The event JSON inside a stream entry written by FastStream's publisher."""
    try:
        data, _headers = WIRE_FORMAT.parse(fields.get(b"__data__", b"{}"))
        body = orjson.loads(data)
    except (ValueError, IndexError, orjson.JSONDecodeError):  # parse_event refuses it: off to the dead letters
        return {"unreadable": repr(fields)[:2000]}
    return body if isinstance(body, dict) else {"body": body}


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
