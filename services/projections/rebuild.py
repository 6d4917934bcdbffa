"""Rebuild: replay the event store from position 0 into a new generation, then swap it in.

The live generation keeps serving (and the consumers keep applying to it) until the new one has caught up
with the head; then the new one becomes live, and the old one is dropped once its writers and readers are
done (state.py `drop_generation`). From then on no write to the old generation can succeed, so one last
catch-up from the event store finds every event that was applied to it and not yet to the new one. A write
that fails because its tables are gone is not acknowledged: the consumer retries it, and the catch-up task
fills the gap from the event store meanwhile. Nothing is lost or counted twice (applying is idempotent).

The drop waits out `live_generation_ttl_seconds` after the switch (overlapped with a catch-up): not for the
figures, which are right either way, but so that consumers still holding the old generation in their cache
are not made to fail and retry. Only one rebuild runs at a time (rebuild_lock.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events import Event, parse_event

from .apply import apply_events
from .catch_up import contiguous_end
from .event_log import EventLog
from .rebuild_lock import one_rebuild
from .replay import fold_everything, load, prepare, stored_fact
from .set_aside import SetAside, checked, reason_of, set_aside, worth_retrying
from .settings import ProjectionsSettings
from .state import (
    create_generation,
    drop_generation,
    generation_progress,
    generations,
    live_generation,
    save_progress,
    switch_live,
)
from .tables import READ_MODEL_VERSION, ReadModel, read_model

log = logging.getLogger(__name__)
Pages = asyncio.Queue[tuple[int, list[Any], list[SetAside]] | None]
"""Pages read ahead: the last position of each, its events checked (as facts while the generation is fresh), and
those the check refused."""


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} events/s")


async def rebuild(
    engine: AsyncEngine, events: EventLog, settings: ProjectionsSettings, show: bool = True, outdated_only: bool = False
) -> int:
    """Rebuild into the next generation and make it live; returns that generation.

    Raises RebuildRunning, having changed nothing, if another rebuild is running. With `outdated_only`, returns
    the live generation untouched unless an older READ_MODEL_VERSION built it: asked under the lock, so workers
    that start together after an upgrade rebuild once.
    """
    async with one_rebuild(engine):
        old = await live_generation(engine)
        if outdated_only and (await generation_progress(engine, old)).version >= READ_MODEL_VERSION:
            return old
        model = read_model(old + 1)
        for left in await generations(engine) - {old}:  # what a killed rebuild left behind
            await drop_generation(engine, left)
        await create_generation(engine, model.generation)
        await prepare(engine, model)
        with _bar(show) as (bar, task):
            replay = _Replay(
                engine, model, events, settings, lambda done, all: bar.update(task, completed=done, total=all)
            )
            await _fill(replay, bar)
            await switch_live(engine, model.generation)
            switched = time.monotonic()
            await replay.run()
            await asyncio.sleep(max(0.0, settings.live_generation_ttl_seconds - (time.monotonic() - switched)))
            await drop_generation(engine, old)
            await replay.run()
    log.info("generation %d is live; generation %d is dropped", model.generation, old)
    return model.generation


async def _fill(replay: _Replay, bar: Progress) -> None:
    """Load every event, then fold every thing once (fast). If that fails on something in the events rather than
    the store, start again event by event (as the consumers apply them), setting aside each that cannot be applied.
    """
    try:
        await replay.to_the_head()
        folding = bar.add_task("Folding", total=replay.position)
        await fold_everything(replay.engine, replay.model, lambda done: bar.update(folding, completed=done))
        bar.update(folding, completed=replay.position)
    except Exception as error:
        if worth_retrying(error):
            raise
        log.warning("folding every event at once failed, %s; replaying event by event instead", reason_of(error))
        await drop_generation(replay.engine, replay.model.generation)
        await create_generation(replay.engine, replay.model.generation)
        replay.position = replay.watermark = 0
        replay.fresh = False
        await replay.to_the_head()
    replay.fresh = False


@contextlib.contextmanager
def _bar(show: bool) -> Iterator[tuple[Progress, TaskID]]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn())
    with Progress(*columns, disable=not show, transient=False) as bar:
        yield bar, bar.add_task("Replaying", total=None)


class _Replay:
    """Reads pages ahead while the previous batch is being applied.

    While `fresh` (the generation is not live yet, so nobody else writes to it) it only loads facts and
    `fold_everything` folds them afterwards; then it applies events as the consumers do.
    """

    def __init__(self, engine: AsyncEngine, model: ReadModel, events: EventLog, settings: ProjectionsSettings,
                 report: Callable[[int, int], object]) -> None:
        self.engine, self.model, self.events, self.settings = engine, model, events, settings
        self.report = report
        self.position = self.watermark = 0
        self.fresh = True

    async def to_the_head(self) -> None:
        """Replay until a round finds little new (events sent meanwhile are the consumers' too)."""
        while await self.run() > self.settings.rebuild_batch:
            pass

    async def run(self) -> int:
        """Replay up to the current head; returns how many events that was."""
        head, start = await self.events.head(), self.position
        pages: Pages = asyncio.Queue(maxsize=4)
        reader = asyncio.create_task(self._read(head, pages))
        try:
            batch: list[Any] = []
            refused: list[SetAside] = []
            last = self.position
            while (page := await pages.get()) is not None:
                last, made, not_made = page
                batch.extend(made)
                refused.extend(not_made)
                if len(batch) >= self.settings.rebuild_batch:
                    await self._apply(batch, refused, last, head)
                    batch, refused = [], []
            await self._apply(batch, refused, last, head)
            await reader
        finally:
            reader.cancel()
        return self.position - start

    async def _read(self, head: int, pages: Pages) -> None:
        """Pages checked here, so checking the next overlaps writing the last (the database works meanwhile)."""
        after, check = self.position, stored_fact if self.fresh else _event
        while after < head and (page := await self.events.read_stored(after, self.settings.fill_page)):
            after = int(page[-1]["position"])
            await pages.put((after, *checked(page, check)))
        await pages.put(None)

    async def _apply_events(self, events: list[Event]) -> None:
        try:
            await apply_events(self.engine, self.model, events)
        except Exception as error:
            if worth_retrying(error):
                raise
            log.warning("a batch of %d events failed; applying them one by one", len(events), exc_info=True)
            for event in events:
                try:
                    await apply_events(self.engine, self.model, [event])
                except Exception as error:
                    if worth_retrying(error):
                        raise
                    await set_aside(self.engine, self.model, [_refused(event, error)])

    async def _apply(self, batch: list[Any], refused: list[SetAside], last: int, head: int) -> None:
        if last <= self.position:
            return
        for event in refused:
            log.error("set aside: the event at %s", event)
        if self.fresh:
            await load(self.engine, self.model, batch, refused)
        else:
            await set_aside(self.engine, self.model, refused)
            await self._apply_events(batch)
        self.position = last
        self.watermark = await contiguous_end(self.engine, self.model, self.watermark)
        await save_progress(self.engine, self.model.generation, self.watermark, max(head, self.position))
        self.report(self.position, max(head, self.position))


def _event(raw: dict[str, Any]) -> Event:
    return parse_event(raw, position=raw["position"])


def _refused(event: Event, error: Exception) -> SetAside:
    refused = SetAside(event.position or 0, event.id, event.type, reason_of(error))
    log.error("set aside: the event at %s", refused)
    return refused
