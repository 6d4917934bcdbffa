import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from coprod.demo.generator import demo_year
from coprod.demo.maker import financial_year_start
from shared.events import parse_event

YEAR = date(2025, 4, 1)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+44|\b0)\s*\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}")


def all_events(seed: int = 2025) -> list[dict[str, Any]]:
    year = demo_year(YEAR, seed)
    return [*year.events, *year.opportunities]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def test_the_same_seed_gives_the_same_year() -> None:
    assert demo_year(YEAR) == demo_year(YEAR)
    assert all_events(1) != all_events(2)


def test_every_event_meets_the_contract() -> None:
    for raw in all_events():
        parse_event(raw)


def test_event_ids_are_unique() -> None:
    ids = [(event["source"], event["id"]) for event in all_events()]
    assert len(ids) == len(set(ids))


def test_no_personal_data_in_the_events() -> None:
    for event in all_events():
        for text in strings(event["data"]):
            assert not EMAIL.search(text), (event["type"], text)
            assert not PHONE.search(text), (event["type"], text)


def test_the_year_has_every_kind_of_thing() -> None:
    kinds = Counter(event["type"] for event in all_events())
    assert kinds["service.registered"] >= 75
    assert kinds["engagement.recorded"] >= 300
    for needed in (
        "commitment.lapsed",
        "commitment.renewed",
        "engagement.amended",
        "engagement.withdrawn",
        "engagement.outcome_recorded",
        "training.attended",
        "feedback.responded",
        "champion.left",
        "opportunity.published",
        "opportunity.signed_up",
    ):
        assert kinds[needed] > 0, needed


def test_activities_cover_every_level_and_several_regions() -> None:
    recorded = [event["data"] for event in all_events() if event["type"] == "engagement.recorded"]
    assert {data["level"] for data in recorded} == {
        "educating",
        "informing",
        "consulting",
        "engaging",
        "co_designing",
        "co_producing",
    }
    assert len({data.get("region") for data in recorded} - {None}) >= 4


def test_activities_fall_inside_the_financial_year() -> None:
    for event in all_events():
        if event["type"] == "engagement.recorded":
            assert YEAR <= date.fromisoformat(event["data"]["occurred_on"]) <= date(2026, 3, 31)


def test_some_commitments_are_due_for_review_at_year_end() -> None:
    latest: dict[str, dict[str, Any]] = {}
    for event in all_events():
        if event["type"].startswith("commitment."):
            latest[event["data"]["commitment_id"]] = event
    due = [
        event
        for event in latest.values()
        if event["type"] != "commitment.lapsed" and event["data"]["review_due_on"] < "2026-03-31"
    ]
    assert due


def test_contacts_are_fake_and_only_for_champions_still_in_the_group() -> None:
    year = demo_year(YEAR)
    left = {e["data"]["champion_id"] for e in year.events if e["type"] == "champion.left"}
    assert year.contacts and not left & set(year.contacts)
    for contact in year.contacts.values():
        assert contact["email"].endswith("@example.org")
        assert re.fullmatch(r"07700 900\d{3}", contact["phone"])


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 3, 31), date(2025, 4, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2026, 11, 27), date(2026, 4, 1)),
    ],
)
def test_financial_year_starts_in_april(today: date, start: date) -> None:
    assert financial_year_start(today) == start


def test_a_year_under_way_holds_nothing_after_today_and_grows_day_by_day() -> None:
    whole = demo_year(YEAR)
    today, tomorrow = date(YEAR.year, 12, 2), date(YEAR.year, 12, 3)
    so_far, next_day = whole.so_far(today), whole.so_far(tomorrow)
    assert so_far.events and max(event["time"][:10] for event in so_far.events) <= today.isoformat()
    assert all(event["time"][:10] <= today.isoformat() for event in so_far.opportunities)
    assert len(so_far.events) < len(whole.events)
    sent_again = {event["id"]: event for event in next_day.events + next_day.opportunities}
    assert all(sent_again[event["id"]] == event for event in so_far.events + so_far.opportunities)
    joined = {e["data"]["champion_id"] for e in so_far.events if e["type"] == "champion.joined"}
    assert set(so_far.contacts) <= joined and len(so_far.contacts) < len(whole.contacts)
