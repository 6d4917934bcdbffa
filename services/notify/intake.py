"""What notify does with each event it reads: fold champions, note services and opportunities, plan alerts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events import Event
from shared.events.champions import ChampionLeft
from shared.events.opportunities import OpportunityClosed, OpportunityPublished, OpportunitySignedUp
from shared.events.services import ServiceRegistered

from . import planning, store
from .clock import Clock
from .progress import save_position
from .schedule import Timetable

FAMILIES = ("champion.", "opportunity.", "service.")
"""The event types notify reads; the rest of the record is none of its business."""


class Intake:
    """Applies a batch in one transaction, so an alert is planned once or not at all.

    Called by the stream consumer with what Redis delivers, and by the catch-up with what the event store holds
    (in position order, with the position read up to saved in the same transaction). Either may bring an event
    the other brought already: applying it again changes nothing.
    """

    def __init__(self, engine: AsyncEngine, timetable: Timetable, clock: Clock, planned: Callable[[], None]) -> None:
        self.engine, self.timetable, self.clock, self.planned = engine, timetable, clock, planned
        self.from_redis: set[int] = set()
        """Positions applied from Redis that the catch-up has not reached yet: it need not apply them again."""

    async def __call__(self, events: Sequence[Event]) -> None:
        await self.apply(events)
        self.from_redis.update(event.position for event in events if event.position is not None)

    async def apply(self, events: Sequence[Event], read_through: int | None = None) -> None:
        """Apply `events`; with `read_through`, also note that the event store has been read up to there."""
        added = 0
        async with self.engine.begin() as conn:
            changed: set[str] = set()
            for event in events:
                added += await self._apply(conn, event, changed)
            added += await planning.for_champions(conn, changed, self.timetable, self.clock.now())
            if read_through is not None:
                await save_position(conn, read_through)
        if added:
            self.planned()

    async def _apply(self, conn: AsyncConnection, event: Event, changed: set[str]) -> int:
        """Apply one event; a champion whose facts changed is added to `changed`, to be planned for."""
        data = event.data
        if event.type.startswith("champion."):
            if await store.fold_champion(conn, event):
                changed.add(getattr(data, "champion_id"))  # noqa: B009
            if isinstance(data, ChampionLeft) and data.erase:
                await store.erase_contact(conn, data.champion_id)
        elif isinstance(data, ServiceRegistered):
            await store.record_service(conn, data.service_id, data.region, [event.time.isoformat(), event.position])
        elif isinstance(data, OpportunitySignedUp):
            await store.record_sign_up(conn, data.opportunity_id, data.person_id, bool(data.waiting_list))
        elif isinstance(data, OpportunityClosed):
            await store.close_opportunity(conn, data.opportunity_id, data.closed_on)
        elif isinstance(data, OpportunityPublished):
            return await self._published(conn, data, event.time)
        return 0

    async def _published(self, conn: AsyncConnection, opportunity: OpportunityPublished, at: datetime) -> int:
        await store.record_opportunity(conn, opportunity.opportunity_id, opportunity.model_dump(mode="json"), at)
        day = at.astimezone(self.timetable.zone).date()
        return await planning.for_opportunity(conn, opportunity, day, self.timetable, self.clock.now())
