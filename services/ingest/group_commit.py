"""Group commit: one writer gathers the appends waiting and commits them in a single transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .metrics import APPEND_BATCH_EVENTS, APPEND_SECONDS
from .pseudonyms import Door
from .store import Conflict, EventStore, NewEvent, Outcome
from .store_errors import as_answer, of_the_store


@dataclass(frozen=True)
class _Pending:
    events: Sequence[NewEvent]
    answer: asyncio.Future[list[Outcome]]


class GroupCommitter:
    def __init__(self, store: EventStore | Door, max_events: int, on_commit: Callable[[], None]) -> None:
        self._store = store
        self._max_events = max_events
        self._on_commit = on_commit
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()

    async def append(self, events: Sequence[NewEvent]) -> list[Outcome]:
        """Resolves once the events are committed (or raises Conflict, storing nothing)."""
        answer: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(events, answer))
        return await answer

    async def run(self) -> None:
        while True:
            group = await self._gather()
            await self._commit(group)

    async def _gather(self) -> list[_Pending]:
        group = [await self._queue.get()]
        count = len(group[0].events)
        while not self._queue.empty() and count < self._max_events:
            pending = self._queue.get_nowait()
            group.append(pending)
            count += len(pending.events)
        return group

    async def _commit(self, group: list[_Pending]) -> None:
        started = time.perf_counter()
        try:
            results = await self._store.append_groups([pending.events for pending in group])
        except Exception as error:
            if len(group) > 1 and not of_the_store(error):
                await self._one_by_one(group)
            else:
                for pending in group:
                    _answer(pending, as_answer(error))
            return
        APPEND_SECONDS.observe(time.perf_counter() - started)
        APPEND_BATCH_EVENTS.observe(sum(len(pending.events) for pending in group))
        for pending, result in zip(group, results, strict=True):
            _answer(pending, result)
        self._on_commit()

    async def _one_by_one(self, group: list[_Pending]) -> None:
        """A group failed for something in one request's data: each request alone, so only that one is refused."""
        for pending in group:
            await self._commit([pending])


def _answer(pending: _Pending, result: list[Outcome] | Exception) -> None:
    if pending.answer.done():
        return
    if isinstance(result, Exception | Conflict):
        pending.answer.set_exception(result)
    else:
        pending.answer.set_result(result)
