"""A realistic financial year of events, from a seed: services, commitments and engagement activities."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import catalogue as words
from .maker import Maker, iso
from .people import champions, contacts, feedback, opportunities, training

DEFAULT_SEED = 2025


@dataclass(frozen=True)
class Service:
    service_id: str
    service_type: str
    region: str


@dataclass(frozen=True)
class DemoYear:
    """`events` go in first, then champions' `contacts` to notify, then `opportunities` so alerts go out."""

    events: list[dict[str, Any]]
    contacts: dict[str, dict[str, str]]
    opportunities: list[dict[str, Any]]

    def so_far(self, today: date) -> DemoYear:
        """What would have happened by the end of `today`: a year under way has nothing dated after today."""
        events, opportunities = _until(self.events, today), _until(self.opportunities, today)
        joined = {event["data"]["champion_id"] for event in events if event["type"] == "champion.joined"}
        contacts = {champion: contact for champion, contact in self.contacts.items() if champion in joined}
        return DemoYear(events, contacts, opportunities)


def _until(events: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    return [event for event in events if event["time"][:10] <= today.isoformat()]


def demo_year(year_start: date, seed: int = DEFAULT_SEED) -> DemoYear:
    make = Maker(random.Random(seed), year_start)
    estate = services(make)
    commitments(make, estate)
    engagement(make, estate)
    training(make)
    feedback(make, [service.service_id for service in estate])
    members = champions(make)
    split = len(make.events)
    opportunities(make, [(s.service_id, s.region) for s in estate], members)
    return DemoYear(make.events[:split], contacts(members), make.events[split:])


def services(make: Maker) -> list[Service]:
    estate = []
    for service_type, suffixes in words.SERVICE_TYPES.items():
        for number, place in enumerate(words.PLACES[:30]):
            region = words.REGIONS[(number + len(service_type)) % len(words.REGIONS)]
            service = Service(f"svc-{service_type[:2]}-{number + 1:03d}", service_type, region)
            opened = date(make.year_start.year - make.rng.randint(1, 20), make.rng.randint(1, 12), 1)
            if make.chance(0.05):
                opened = make.day()
            name = f"{place} {make.rng.choice(suffixes)}"
            data = {
                "service_id": service.service_id,
                "name": name,
                "service_type": service_type,
                "region": region,
                "opened_on": iso(opened),
            }
            make.add("service.registered", min(opened, make.year_start), data)
            estate.append(service)
    for closing in make.rng.sample(estate, 3):
        closed = make.day()
        make.add("service.closed", closed, {"service_id": closing.service_id, "closed_on": iso(closed)})
    return estate


def commitments(make: Maker, estate: list[Service]) -> None:
    for number, service in enumerate(estate):
        if make.chance(0.1):
            continue
        ref = {"commitment_id": f"sic-{number + 1:03d}", "service_id": service.service_id}
        signed = make.year_start - timedelta(days=make.rng.randint(30, 700))
        review = signed + timedelta(days=365)
        make.add(
            "commitment.signed",
            signed,
            {
                **ref,
                "signed_on": iso(signed),
                "review_due_on": iso(review),
                "customers_signed": make.rng.randint(3, 25),
                "colleagues_signed": make.rng.randint(2, 10),
            },
        )
        if make.chance(0.08):
            lapsed = make.day()
            make.add(
                "commitment.lapsed",
                lapsed,
                {**ref, "lapsed_on": iso(lapsed), "reason": make.rng.choice(words.LAPSE_REASONS)},
            )
        elif review < make.year_end and make.chance(0.85):
            renewed = make.day(after=max(review - timedelta(days=30), make.year_start), within=60)
            make.add(
                "commitment.renewed",
                renewed,
                {**ref, "renewed_on": iso(renewed), "review_due_on": iso(renewed + timedelta(days=365))},
            )


def engagement(make: Maker, estate: list[Service], count: int = 420) -> None:
    for number in range(count):
        activity_id = f"act-{number + 1:04d}"
        service = None if make.chance(0.08) else make.rng.choice(estate)
        occurred = make.day()
        customers = make.rng.randint(2, 18)
        data = {
            "activity_id": activity_id,
            "occurred_on": iso(occurred),
            "activity_type": make.weighted(words.ACTIVITY_TYPE_WEIGHTS),
            "level": make.weighted(words.LEVEL_WEIGHTS),
            "mode": make.weighted(words.MODE_WEIGHTS),
            "service_id": service.service_id if service else None,
            "region": service.region if service else (make.rng.choice(words.REGIONS) if make.chance(0.5) else None),
            "customers_participating": customers,
            "colleagues_participating": make.rng.randint(1, 6),
            "participant_ids": [f"cust-{make.rng.randint(1, 900):04d}" for _ in range(min(customers, 5))],
            "topics": make.some(words.TOPICS, 3),
            "summary": make.rng.choice(words.SUMMARIES),
            "accessibility_support": "Large print agenda and a hearing loop" if make.chance(0.2) else None,
        }
        make.add("engagement.recorded", occurred, data)
        later = occurred + timedelta(days=make.rng.randint(1, 20))
        if make.chance(0.06):
            make.add(
                "engagement.amended",
                later,
                {
                    "activity_id": activity_id,
                    "level": make.weighted(words.LEVEL_WEIGHTS),
                    "customers_participating": customers + 2,
                },
            )
        if make.chance(0.02):
            make.add(
                "engagement.withdrawn",
                later,
                {"activity_id": activity_id, "reason": make.rng.choice(words.WITHDRAW_REASONS)},
            )
        elif data["level"] not in ("educating", "informing") and make.chance(0.55):
            told = occurred + timedelta(days=make.rng.randint(14, 90))
            make.add(
                "engagement.outcome_recorded",
                told,
                {"activity_id": activity_id, "communicated_on": iso(told), "outcome": make.rng.choice(words.OUTCOMES)},
            )
