"""For one claimed batch: who each alert is for, whether it may go now, one message or a digest, which channel."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.champions import Cadence, Channel, Format

from . import store
from .champions import Champion
from .channels.base import Answer, Message, Result, Sender
from .contacts import ContactDetails, Sealer
from .deliveries import Claimed
from .ledger import Ledger
from .messages import Renderer
from .outcomes import Policy, held, skipped
from .schedule import Timetable

NOBODY = ContactDetails()
log = logging.getLogger(__name__)
Group = tuple[str, list[Claimed]]


@dataclass
class Delivering:
    engine: AsyncEngine
    senders: Mapping[Channel, Sender]
    renderer: Renderer
    timetable: Timetable
    sealer: Sealer
    policy: Policy
    concurrency: int

    def __post_init__(self) -> None:
        # Shared by the send loops: `concurrency` messages with their channels, and as many more marked in flight
        # and waiting, so that sends never wait for the commit of a mark.
        self.gate = asyncio.Semaphore(self.concurrency)
        self.marked = asyncio.Semaphore(2 * self.concurrency)

    async def plan(self, claimed: Sequence[Claimed], now: datetime) -> Planner:
        by_champion: dict[str, list[Claimed]] = {}
        for delivery in claimed:
            by_champion.setdefault(delivery.champion_id, []).append(delivery)
        async with self.engine.connect() as conn:
            champions = await store.load_champions(conn, by_champion)
            contacts = await store.load_contacts(self.sealer, conn, by_champion)
            opportunities = await store.load_opportunities(conn, {d.opportunity_id for d in claimed})
        return Planner(self, now, champions, contacts, opportunities, list(by_champion.items()))


@dataclass
class Planner:
    how: Delivering
    now: datetime
    champions: dict[str, Champion]
    contacts: dict[str, ContactDetails]
    opportunities: dict[str, Any]
    groups: list[Group]

    def __post_init__(self) -> None:
        self._rendered: dict[tuple[tuple[str, ...], Format], Message] = {}
        self.today = self.now.astimezone(self.how.timetable.zone).date()

    async def deliver(self, ledger: Ledger) -> None:
        """Send every group, each outcome committed as soon as it is known."""
        await asyncio.gather(*(self._for_champion(cid, claimed, ledger) for cid, claimed in self.groups))

    async def _for_champion(self, champion_id: str, claimed: list[Claimed], ledger: Ledger) -> None:
        champion = self.champions.get(champion_id)
        if champion is None or not champion.active_on(self.today):
            return await ledger.settle([skipped(d, "the champion has left", self.now) for d in claimed])
        if champion.stopped:
            return await ledger.settle([skipped(d, "the champion stopped these messages", self.now) for d in claimed])
        closed = [d for d in claimed if self._closed(d.opportunity_id)]
        still_open = [d for d in claimed if d not in closed]
        await ledger.settle([skipped(d, "the opportunity closed before the alert went out", self.now) for d in closed])
        if until := self.how.timetable.quiet_until(self.now, champion.quiet_hours):
            return await ledger.settle([held(d, until, self.now) for d in still_open])
        bundles = [still_open] if champion.cadence is not Cadence.immediate else [[d] for d in still_open]
        for bundle in filter(None, bundles):
            await self._send_bundle(champion, bundle, ledger)

    async def _send_bundle(self, champion: Champion, bundle: list[Claimed], ledger: Ledger) -> None:
        async with self.how.marked:
            held_still = await ledger.in_flight(bundle)
            bundle = [d for d in bundle if d.id in held_still]  # the rest went to another claimant
            if not bundle:
                return
            message = self.how.renderer.personal(
                self._message(bundle, champion.format), champion.champion_id, champion.channels
            )
            async with self.how.gate:
                answer, channel = await self._send(champion, message)
        await ledger.settle(self.how.policy.outcomes(bundle, answer, channel, self.now))

    async def _send(self, champion: Champion, message: Message) -> tuple[Answer, str | None]:
        contact = self.contacts.get(champion.champion_id, NOBODY)
        reasons: list[str] = []
        for channel in champion.channels:
            answer = await self._try(channel, contact, message)
            if answer.result is not Result.permanent:
                return answer, channel.value
            reasons.append(f"{channel.value}: {answer.reason}")
        return Answer(Result.permanent, "; ".join(reasons) or "no channel to send on"), champion.channels[0].value

    async def _try(self, channel: Channel, contact: ContactDetails, message: Message) -> Answer:
        try:
            return await self.how.senders[channel].send(contact, message)
        except Exception as error:  # its text could hold the address, so only its kind is logged
            log.warning(
                "sending by %s failed unexpectedly (%s); it will be retried", channel.value, type(error).__name__
            )
            return Answer(Result.transient, f"sending by {channel.value} failed unexpectedly ({type(error).__name__})")

    def _message(self, bundle: list[Claimed], fmt: Format) -> Message:
        key = (tuple(d.opportunity_id for d in bundle), fmt)
        if key not in self._rendered:
            published = [self.opportunities[d.opportunity_id].published for d in bundle]
            self._rendered[key] = self.how.renderer.render("", published, fmt)
        return dataclasses.replace(self._rendered[key], message_id=bundle[0].notification_id)

    def _closed(self, opportunity_id: str) -> bool:
        row = self.opportunities.get(opportunity_id)
        if row is None or row.published is None:
            return True
        closes_on = date.fromisoformat(row.published["closes_on"])
        return row.closed_on is not None or closes_on < self.today
