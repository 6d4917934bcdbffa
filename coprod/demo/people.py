"""The people side of the demo year: training, feedback, champions (and their contacts), opportunities."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from . import catalogue as words
from .maker import Maker, iso

CHANNEL_CHOICES = (["email"], ["email", "sms"], ["sms", "email"], ["email"], ["email"])
FORMATS = {"standard": 8, "easy_read": 2, "large_print": 1}
CADENCES = {"immediate": 6, "daily_digest": 2, "weekly_digest": 1}


def training(make: Maker, sessions: int = 30) -> None:
    for number in range(sessions):
        session_id = f"trn-{number + 1:03d}"
        held = make.day()
        make.add(
            "training.session_held",
            held,
            {
                "session_id": session_id,
                "held_on": iso(held),
                "module": make.rng.choice(words.TRAINING_MODULES),
                "mode": make.weighted({"face_to_face": 3, "virtual": 2}),
                "region": make.rng.choice(words.REGIONS),
            },
        )
        for _ in range(make.rng.randint(5, 14)):
            role = make.weighted({"colleague": 3, "customer": 2})
            person = f"{'cust' if role == 'customer' else 'coll'}-{make.rng.randint(1, 400):04d}"
            make.add("training.attended", held, {"session_id": session_id, "person_id": person, "role": role}, 16)


def feedback(make: Maker, service_ids: list[str], count: int = 500) -> None:
    kinds = {"compliment": 4, "comment": 3, "suggestion": 2, "complaint": 2}
    for number in range(count):
        feedback_id = f"fb-{number + 1:04d}"
        received = make.day()
        make.add(
            "feedback.received",
            received,
            {
                "feedback_id": feedback_id,
                "received_on": iso(received),
                "service_id": make.rng.choice(service_ids),
                "kind": make.weighted(kinds),
                "channel": make.rng.choice(("phone", "letter", "online", "in_person")),
                "theme": make.rng.choice(words.FEEDBACK_THEMES),
            },
        )
        if make.chance(0.9):
            responded = make.day(after=received, within=20)
            make.add(
                "feedback.responded",
                responded,
                {
                    "feedback_id": feedback_id,
                    "responded_on": iso(responded),
                    "action_taken": make.chance(0.65),
                    "summary": make.rng.choice(words.RESPONSES),
                },
            )


def champions(make: Maker, count: int = 45) -> list[str]:
    """Champions with varied preferences; returns those still in the group."""
    members = []
    for number in range(count):
        champion_id = f"cog-{number + 1:03d}"
        joined = make.year_start - timedelta(days=make.rng.randint(0, 500)) if number < 35 else make.day()
        quiet = {"start": time(21).isoformat(), "end": time(8).isoformat()} if make.chance(0.3) else None
        make.add(
            "champion.joined",
            joined,
            {
                "champion_id": champion_id,
                "role": make.weighted({"customer": 4, "colleague": 5}),
                "joined_on": iso(joined),
                "region": make.rng.choice(words.REGIONS),
                "interests": make.some(words.TOPICS, 4) if make.chance(0.7) else [],
                "channels": make.rng.choice(CHANNEL_CHOICES),
                "format": make.weighted(FORMATS),
                "cadence": make.weighted(CADENCES),
                "quiet_hours": quiet,
                "national_customer_group": in_customer_group(champion_id),
            },
        )
        members.append(champion_id)
    for champion_id in make.rng.sample(members[:35], 3):
        make.add("champion.preferences_updated", make.day(), {"champion_id": champion_id, "cadence": "immediate"})
    leaving = make.rng.sample(members[:35], 2)
    for position, champion_id in enumerate(leaving):
        left = make.day()
        make.add("champion.left", left, {"champion_id": champion_id, "left_on": iso(left), "erase": position == 0})
    return [champion_id for champion_id in members if champion_id not in leaving]


def in_customer_group(champion_id: str) -> bool:
    """Every fourth champion chose the national C&S Customer Group."""
    return int(champion_id.removeprefix("cog-")) % 4 == 1


WHERE = {"face_to_face": "The lounge at the scheme", "hybrid": "The regional office, or online (we send the link)",
         "virtual": "Online: we send you the link", "written": "At home: we post or email the papers"}


def group_sign_ups(make: Maker, opportunity_id: str, published: date, champion_ids: list[str]) -> None:
    """Members of the national C&S Customer Group signing up to one of its meetings, in their role."""
    roles = {e["data"]["champion_id"]: e["data"]["role"] for e in make.events if e["type"] == "champion.joined"}
    for champion_id in champion_ids:
        signed_up = make.day(after=published, within=10)
        make.add("opportunity.signed_up", signed_up, {"opportunity_id": opportunity_id, "person_id": champion_id,
                                                      "role": roles[champion_id], "signed_up_on": iso(signed_up)}, 15)


def contacts(members: list[str]) -> dict[str, dict[str, str]]:
    """Fake contact details: example.org addresses and Ofcom's drama numbers (07700 900xxx)."""
    return {
        champion_id: {"email": f"{champion_id}@example.org", "phone": f"07700 900{number:03d}"}
        for number, champion_id in enumerate(members, start=1)
    }


def opportunities(make: Maker, places: list[tuple[str, str]], members: list[str], count: int = 24) -> None:
    for number in range(count):
        opportunity_id = f"opp-{number + 1:03d}"
        title, topic = words.OPPORTUNITIES[number % len(words.OPPORTUNITIES)]
        published = make.day()
        service_id, region = make.rng.choice(places)
        scope = ("national", "regional", "service")[number % 3]
        data: dict[str, Any] = {
            "opportunity_id": opportunity_id,
            "title": title,
            "scope": scope,
            "summary": f"{title}. We offer support to take part, and pay expenses.",
            "closes_on": iso(published + timedelta(days=make.rng.randint(21, 120))),
            "region": region if scope != "national" else None,
            "service_id": service_id if scope == "service" else None,
            "topics": [topic],
            "open_to": make.rng.choice(("customers", "colleagues", "both")),
            "mode": make.weighted(words.MODE_WEIGHTS),
            "places": make.rng.randint(2, 12),
            "expenses_paid": number % 5 != 4,
            "accessibility_support": "Large-print papers and a hearing loop" if number % 4 != 3 else None,
            "how_to_take_part": "Tell the staff at your scheme, or your support worker",
            "customer_group_meeting": scope == "national" and number % 2 == 0,
        }
        data["location"] = WHERE[data["mode"]]
        make.add("opportunity.published", published, data)
        if data["customer_group_meeting"]:
            group_sign_ups(make, opportunity_id, published, [m for m in members if in_customer_group(m)][number % 3::3])
        for _ in range(make.rng.randint(0, 8)):
            role = make.weighted({"customer": 3, "colleague": 2})
            person = f"{'cust' if role == 'customer' else 'coll'}-{make.rng.randint(1, 400):04d}"
            signed_up = make.day(after=published, within=20)
            make.add(
                "opportunity.signed_up",
                signed_up,
                {"opportunity_id": opportunity_id, "person_id": person, "role": role, "signed_up_on": iso(signed_up)},
                15,
            )
        if number % 4 == 0:
            closed = make.day(after=published, within=30)
            make.add(
                "opportunity.closed",
                closed,
                {
                    "opportunity_id": opportunity_id,
                    "closed_on": iso(closed),
                    "reason": make.rng.choice(("filled", "expired", "cancelled")),
                },
            )
