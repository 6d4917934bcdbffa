"""A champion as notify knows them, folded from champion.* events whatever order they arrive in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.events import Event
from shared.events.champions import Cadence, Channel, Format, QuietHours
from shared.events.opportunities import OpenTo, OpportunityPublished, Scope

Version = list[Any]  # [event time ISO, position]: the later one wins a field, as in the projections
FOLDED_FIELDS = ("role", "joined_on", "region", "interests", "channels", "format", "cadence", "quiet_hours", "left_on")


def fold(facts: dict[str, Any], versions: dict[str, Version], event: Event) -> bool:
    """Apply `event` to a champion's facts in place, field by field; True if anything changed."""
    version: Version = [event.time.isoformat(), event.position or 0]
    sent = event.data.model_dump(mode="json", include=event.data.model_fields_set)
    if event.type == "champion.joined":
        sent.setdefault("left_on", None)  # joining again after leaving, if this event is the later one
    changed = False
    for name in FOLDED_FIELDS:
        if name in sent and _later(version, versions.get(name)):
            facts[name], versions[name] = sent[name], version
            changed = True
    return changed


def _later(version: Version, current: Version | None) -> bool:
    return current is None or _key(version) > _key(current)


def _key(version: Version) -> tuple[datetime, int]:
    return datetime.fromisoformat(version[0]), int(version[1])


@dataclass(frozen=True)
class Champion:
    champion_id: str
    role: str | None
    joined_on: date | None
    left_on: date | None
    region: str | None = None
    interests: frozenset[str] = frozenset()
    channels: tuple[Channel, ...] = (Channel.email,)
    format: Format = Format.standard
    cadence: Cadence = Cadence.immediate
    quiet_hours: QuietHours | None = None

    @classmethod
    def from_facts(cls, champion_id: str, facts: dict[str, Any]) -> Champion:
        quiet = facts.get("quiet_hours")
        return cls(
            champion_id=champion_id,
            role=facts.get("role"),
            joined_on=_date(facts.get("joined_on")),
            left_on=_date(facts.get("left_on")),
            region=facts.get("region"),
            interests=frozenset(facts.get("interests") or ()),
            channels=tuple(Channel(c) for c in _channels(facts.get("channels"))),
            format=Format(facts.get("format") or "standard"),
            cadence=Cadence(facts.get("cadence") or "immediate"),
            quiet_hours=QuietHours.model_validate(quiet) if quiet else None,
        )

    @property
    def stopped(self) -> bool:
        """Chose to hear by no channel at all ("Stop these messages")."""
        return not self.channels

    def active_on(self, day: date) -> bool:
        joined = self.joined_on is not None and self.role is not None and self.joined_on <= day
        return joined and (self.left_on is None or self.left_on > day)


def is_recipient(champion: Champion, opportunity: OpportunityPublished, on: date, service_region: str | None) -> bool:
    """Whether `champion` should hear of `opportunity` published on `on` (DOMAIN: region, interests, open_to)."""
    return (
        champion.active_on(on)
        and not champion.stopped
        and _in_reach(champion, opportunity, service_region)
        and _interested(champion, opportunity)
        and _open_to(champion, opportunity.open_to)
    )


def _in_reach(champion: Champion, opportunity: OpportunityPublished, service_region: str | None) -> bool:
    if opportunity.scope is Scope.national:
        return True
    region = opportunity.region if opportunity.scope is Scope.regional else service_region or opportunity.region
    return region is not None and champion.region == region


def _interested(champion: Champion, opportunity: OpportunityPublished) -> bool:
    return not champion.interests or not opportunity.topics or bool(champion.interests & set(opportunity.topics))


def _open_to(champion: Champion, open_to: OpenTo) -> bool:
    return open_to is OpenTo.both or (open_to is OpenTo.customers) == (champion.role == "customer")


def _channels(given: Any) -> list[str]:
    """Email when never said; an empty list (they stopped the messages) stays empty."""
    return ["email"] if given is None else list(given)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value
