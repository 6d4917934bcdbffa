"""Rebuild: replay the event store from position 0 into a new generation, then swap it in.

The live generation keeps serving (and the consumers keep applying to it) until the new one has caught up
with the head; then the new one becomes live, the consumers follow within `live_generation_ttl_seconds`,
the rebuild catches up once more and drops the old tables. Anything a consumer still applied to the old
generation after the last catch-up is found as a gap in the new one and filled from the event store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator

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

from shared.events import Event

from .apply import apply_events
from .catch_up import contiguous_end
from .event_log import EventLog
from .settings import ProjectionsSettings
from .state import create_generation, drop_generation, live_generation, save_progress, switch_live
from .tables import ReadModel, read_model

log = logging.getLogger(__name__)
Pages = asyncio.Queue[list[Event] | None]


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} events/s")


async def rebuild(engine: AsyncEngine, events: EventLog, settings: ProjectionsSettings, show: bool = True) -> int:
    """Rebuild into the next generation and make it live; returns that generation."""
    old = await live_generation(engine)
    model = read_model(old + 1)
    await drop_generation(engine, model.generation)  # what an interrupted rebuild left behind
    await create_generation(engine, model.generation)
    with _bar(show) as (bar, task):
        replay = _Replay(engine, model, events, settings, lambda done, all: bar.update(task, completed=done, total=all))
        while await replay.run() > settings.rebuild_batch:
            pass
        await switch_live(engine, model.generation)
        await asyncio.sleep(settings.live_generation_ttl_seconds + 0.5)
        await replay.run()
    await asyncio.sleep(settings.rebuild_drop_grace_seconds)
    await drop_generation(engine, old)
    log.info("generation %d is live; generation %d is dropped", model.generation, old)
    return model.generation


@contextlib.contextmanager
def _bar(show: bool) -> Iterator[tuple[Progress, TaskID]]:
    columns = (TextColumn("Rebuilding"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn())
    with Progress(*columns, disable=not show, transient=False) as bar:
        yield bar, bar.add_task("rebuild", total=None)


class _Replay:
    """Reads pages ahead while the previous batch is being applied."""

    def __init__(self, engine: AsyncEngine, model: ReadModel, events: EventLog, settings: ProjectionsSettings,
                 report: Callable[[int, int], object]) -> None:
        self.engine, self.model, self.events, self.settings = engine, model, events, settings
        self.report = report
        self.position = self.watermark = 0

    async def run(self) -> int:
        """Replay up to the current head; returns how many events that was."""
        head, start = await self.events.head(), self.position
        pages: Pages = asyncio.Queue(maxsize=4)
        reader = asyncio.create_task(self._read(head, pages))
        try:
            batch: list[Event] = []
            while (page := await pages.get()) is not None:
                batch.extend(page)
                if len(batch) >= self.settings.rebuild_batch:
                    await self._apply(batch, head)
                    batch = []
            await self._apply(batch, head)
            await reader
        finally:
            reader.cancel()
        return self.position - start

    async def _read(self, head: int, pages: Pages) -> None:
        after = self.position
        while after < head and (page := await self.events.read(after, self.settings.fill_page)):
            await pages.put(page)
            after = page[-1].position or after
        await pages.put(None)

    async def _apply(self, batch: list[Event], head: int) -> None:
        if not batch:
            return
        try:
            await apply_events(self.engine, self.model, batch)
        except Exception:
            log.warning("a batch of %d events failed; applying them one by one", len(batch), exc_info=True)
            for event in batch:
                try:
                    await apply_events(self.engine, self.model, [event])
                except Exception as error:
                    log.error("event at position %s cannot be applied and is left out: %s", event.position, error)
        self.position = batch[-1].position or self.position
        self.watermark = await contiguous_end(self.engine, self.model, self.watermark)
        await save_progress(self.engine, self.model.generation, self.watermark, max(head, self.position))
        self.report(self.position, max(head, self.position))
