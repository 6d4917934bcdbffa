"""People pseudonymised at the door: each upstream person id in an event is replaced by coprod's token for that
person before the event is stored, so the log (and Redis, and every read model) holds tokens only.

The same upstream id always gets the same token, so distinct counts are unchanged. The lookups are batched: one
query for a whole group commit, two more only when someone new appears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from . import people
from .store import Conflict, EventStore, NewEvent, Outcome
from .tables import events

PEOPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "training.attended": ("person_id",),
    "opportunity.signed_up": ("person_id",),
    "engagement.recorded": ("participant_ids",),
    "engagement.amended": ("participant_ids",),
    "champion.joined": ("champion_id",),
    "champion.preferences_updated": ("champion_id",),
    "champion.left": ("champion_id",),
}
"""Where each type of event names people by their upstream ids (`notification.*` carry notify's tokens already)."""
TOKENS_ALREADY = "urn:coprod:notify"
"""Notify knows champions by their token alone, so what it records for them (a sign-up, a change of preferences
taken from a personal link) names them by token: there is no upstream id to replace. Only the internal key sends
from this source."""
_CHUNK = 500


def people_in(raw: dict[str, Any]) -> tuple[str, ...]:
    if str(raw.get("source", "")).lower() == TOKENS_ALREADY:
        return ()
    data = raw.get("data") or {}
    found: list[str] = []
    for field in PEOPLE_FIELDS.get(raw.get("type", ""), ()):
        value = data.get(field)
        found.extend(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    return tuple(found)


def forgets_people(raw: dict[str, Any]) -> bool:
    """A champion leaving with `erase: true` is forgotten once the event is stored."""
    return raw.get("type") == "champion.left" and (raw.get("data") or {}).get("erase") is True


def fingerprint(raw: dict[str, Any]) -> str:
    """The fingerprint of an event's content, key order aside: a duplicate has the same one."""
    return hashlib.sha256(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)).hexdigest()


class Door:
    """The event store as the rest of ingest appends to it: people pseudonymised on the way in, and a leaving
    champion who asked to be erased forgotten once their `champion.left` is stored."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._engine = store.engine

    async def append_groups(self, groups: Sequence[Sequence[NewEvent]]) -> list[list[Outcome] | Conflict]:
        pseudonymised = await self.pseudonymised(groups)
        results = await self.store.append_groups(pseudonymised)
        stored = [group for group, result in zip(pseudonymised, results, strict=True) if isinstance(result, list)]
        await self.forget([event for group in stored for event in group if event.forgets_people])
        return results

    async def append(self, group: Sequence[NewEvent]) -> list[Outcome]:
        (result,) = await self.append_groups([group])
        if isinstance(result, Conflict):
            raise result
        return result

    async def pseudonymised(self, groups: Sequence[Sequence[NewEvent]]) -> list[Sequence[NewEvent]]:
        named = [event for group in groups for event in group if event.people]
        if not named:
            return list(groups)
        async with self._engine.begin() as conn:
            tokens = await people.tokens_of(conn, {person for event in named for person in event.people})
            stored = await self._tokens_for_resent(conn, named, tokens)
        return [[_with_tokens(event, tokens, stored) if event.people else event for event in group] for group in groups]

    async def forget(self, leavers: Sequence[NewEvent]) -> None:
        """After the events are stored: their people are forgotten, one erasure recorded for each event."""
        if leavers:
            async with self._engine.begin() as conn:
                for event in leavers:
                    await people.erase(conn, event.people, by=f"champion.left event {event.id!r} from {event.source}")
            await people.scrub(self._engine)

    async def _tokens_for_resent(
        self, conn: AsyncConnection, named: list[NewEvent], tokens: dict[str, str]
    ) -> dict[tuple[str, str], dict[str, str]]:
        """Someone coprod does not know is minted a token, unless the event was stored before naming a person
        erased since: that token stands in, so the event sent again is still a duplicate."""
        strangers = [event for event in named if any(person not in tokens for person in event.people)]
        if not strangers:
            return {}
        stored = await _stored_people(conn, strangers)
        orphans = set(await people.unheld({token for held in stored.values() for token in held}, conn))
        standing_in = {
            (event.source, event.id): {
                person: token
                for person, token in zip(event.people, stored[(event.source, event.id)], strict=False)
                if person not in tokens and token in orphans
            }
            for event in strangers
            if (event.source, event.id) in stored
        }
        new = {
            person
            for event in strangers
            for person in event.people
            if person not in tokens and person not in standing_in.get((event.source, event.id), {})
        }
        tokens.update(await people.mint(conn, new))
        return standing_in


def _with_tokens(event: NewEvent, tokens: dict[str, str], stored: dict[tuple[str, str], dict[str, str]]) -> NewEvent:
    standing_in = stored.get((event.source, event.id), {})
    assert event.raw is not None

    def token(person: str) -> str:
        return tokens.get(person) or standing_in.get(person) or people.new_token()

    data = dict(event.raw["data"])
    for field in PEOPLE_FIELDS[event.type]:
        value = data.get(field)
        if isinstance(value, list):
            data[field] = [token(person) for person in value]
        elif isinstance(value, str):
            data[field] = token(value)
    pseudonymised = {**event.raw, "data": data}
    return replace(event, body=orjson.dumps(pseudonymised).decode(), digest=fingerprint(pseudonymised), raw=None)


async def _stored_people(conn: AsyncConnection, named: list[NewEvent]) -> dict[tuple[str, str], tuple[str, ...]]:
    keys = sorted({(event.source, event.id) for event in named})
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for start in range(0, len(keys), _CHUNK):
        query = sa.select(events.c.source, events.c.id, events.c.event).where(
            sa.tuple_(events.c.source, events.c.id).in_(keys[start : start + _CHUNK])
        )
        for row in await conn.execute(query):
            found[(row.source, row.id)] = people_in(orjson.loads(row.event))
    return found
