"""Reads and writes of notify's champions, contacts, services and opportunities (SQLAlchemy core)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import insert
from shared.events import Event
from shared.events.opportunities import OpportunityPublished

from .champions import Champion, fold
from .contacts import ContactDetails, Sealer
from .tables import champions, contacts, opportunities, services, sign_ups


async def fold_champion(conn: AsyncConnection, event: Event) -> bool:
    """Fold `event` into its champion; True if any of their facts changed."""
    champion_id: str = getattr(event.data, "champion_id")  # noqa: B009
    await conn.execute(
        insert(conn, champions).values(champion_id=champion_id, facts={}, versions={}).on_conflict_do_nothing()
    )
    query = sa.select(champions.c.facts, champions.c.versions).where(champions.c.champion_id == champion_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await conn.execute(query)).one()
    facts, versions = dict(row.facts), dict(row.versions)
    if not fold(facts, versions, event):
        return False
    where = champions.c.champion_id == champion_id
    await conn.execute(champions.update().where(where).values(facts=facts, versions=versions))
    return True


async def known_champion(conn: AsyncConnection, champion_id: str) -> Champion | None:
    query = sa.select(champions.c.facts).where(champions.c.champion_id == champion_id)
    facts = (await conn.execute(query)).scalar_one_or_none()
    champion = Champion.from_facts(champion_id, facts) if facts is not None else None
    return champion if champion is not None and champion.joined_on is not None else None


async def load_champions(conn: AsyncConnection, ids: Iterable[str] | None = None) -> dict[str, Champion]:
    query = sa.select(champions.c.champion_id, champions.c.facts)
    if ids is not None:
        query = query.where(champions.c.champion_id.in_(list(ids)))
    return {row.champion_id: Champion.from_facts(row.champion_id, row.facts) for row in await conn.execute(query)}


async def save_contact(conn: AsyncConnection, champion_id: str, sealed: str, now: datetime) -> None:
    statement = insert(conn, contacts).values(champion_id=champion_id, sealed=sealed, updated_at=now)
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["champion_id"], set_={"sealed": sealed, "updated_at": now})
    )


async def erase_contact(conn: AsyncConnection, champion_id: str) -> int:
    result = await conn.execute(contacts.delete().where(contacts.c.champion_id == champion_id))
    return int(result.rowcount)


async def load_contacts(sealer: Sealer, conn: AsyncConnection, ids: Iterable[str]) -> dict[str, ContactDetails]:
    query = sa.select(contacts.c.champion_id, contacts.c.sealed).where(contacts.c.champion_id.in_(list(ids)))
    return {row.champion_id: sealer.open(row.sealed) for row in await conn.execute(query)}


async def record_service(conn: AsyncConnection, service_id: str, region: str, version: list[Any]) -> None:
    statement = insert(conn, services).values(service_id=service_id, region=region, version=version)
    await conn.execute(statement.on_conflict_do_nothing())
    current = (await conn.execute(sa.select(services.c.version).where(services.c.service_id == service_id))).scalar()
    if current is not None and tuple(version) > tuple(current):
        where = services.c.service_id == service_id
        await conn.execute(services.update().where(where).values(region=region, version=version))


async def service_region(conn: AsyncConnection, service_id: str | None) -> str | None:
    if service_id is None:
        return None
    query = sa.select(services.c.region).where(services.c.service_id == service_id)
    region: str | None = (await conn.execute(query)).scalar_one_or_none()
    return region


async def record_opportunity(conn: AsyncConnection, opportunity_id: str, data: dict[str, Any], at: datetime) -> None:
    statement = insert(conn, opportunities).values(opportunity_id=opportunity_id, published=data, published_at=at)
    await conn.execute(statement.on_conflict_do_nothing())
    where = (opportunities.c.opportunity_id == opportunity_id) & (
        opportunities.c.published_at.is_(None) | (opportunities.c.published_at < at)
    )
    await conn.execute(opportunities.update().where(where).values(published=data, published_at=at))


async def close_opportunity(conn: AsyncConnection, opportunity_id: str, closed_on: date) -> None:
    statement = insert(conn, opportunities).values(opportunity_id=opportunity_id, closed_on=closed_on)
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["opportunity_id"], set_={"closed_on": closed_on})
    )


async def load_opportunities(conn: AsyncConnection, ids: Iterable[str]) -> dict[str, Any]:
    query = sa.select(opportunities).where(opportunities.c.opportunity_id.in_(list(ids)))
    return {row.opportunity_id: row for row in await conn.execute(query)}


async def open_opportunities(conn: AsyncConnection, today: date) -> list[OpportunityPublished]:
    """The published opportunities not closed and closing `today` or later."""
    where = opportunities.c.published.is_not(None) & opportunities.c.closed_on.is_(None)
    rows = await conn.execute(sa.select(opportunities.c.published).where(where))
    published = [OpportunityPublished.model_validate(row.published) for row in rows]
    return [opportunity for opportunity in published if opportunity.closes_on >= today]


async def record_sign_up(conn: AsyncConnection, opportunity_id: str, person_id: str, waiting_list: bool) -> None:
    """A later sign-up for the same person replaces the earlier (a place given to someone on the waiting list)."""
    statement = insert(conn, sign_ups).values(
        opportunity_id=opportunity_id, person_id=person_id, waiting_list=waiting_list
    )
    keys = ["opportunity_id", "person_id"]
    await conn.execute(statement.on_conflict_do_update(index_elements=keys, set_={"waiting_list": waiting_list}))


async def sign_up_of(conn: AsyncConnection, opportunity_id: str, person_id: str) -> bool | None:
    """None: not signed up; False: given a place; True: on the waiting list."""
    where = (sign_ups.c.opportunity_id == opportunity_id) & (sign_ups.c.person_id == person_id)
    found: bool | None = (await conn.execute(sa.select(sign_ups.c.waiting_list).where(where))).scalar_one_or_none()
    return found


async def places_taken(conn: AsyncConnection, opportunity_id: str) -> int:
    where = (sign_ups.c.opportunity_id == opportunity_id) & sign_ups.c.waiting_list.is_(False)
    return int((await conn.execute(sa.select(sa.func.count()).where(where))).scalar_one())


async def lock_opportunity(conn: AsyncConnection, opportunity_id: str) -> None:
    """Taken before counting the places left, so two people cannot both get the last one (a row lock on
    PostgreSQL; SQLite's write lock)."""
    where = opportunities.c.opportunity_id == opportunity_id
    await conn.execute(opportunities.update().where(where).values(opportunity_id=opportunities.c.opportunity_id))


async def known_regions(conn: AsyncConnection) -> list[str]:
    return sorted(set((await conn.execute(sa.select(services.c.region).distinct())).scalars()))


async def known_topics(conn: AsyncConnection) -> list[str]:
    rows = await conn.execute(sa.select(opportunities.c.published).where(opportunities.c.published.is_not(None)))
    return sorted({topic for row in rows for topic in (row.published.get("topics") or [])})
