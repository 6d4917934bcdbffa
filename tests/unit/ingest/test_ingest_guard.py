from datetime import date
from typing import Any

import pytest

from coprod.demo.generator import demo_year
from coprod.demo.maker import financial_year_start
from services.ingest.checks import Refused, check_events
from services.ingest.examples import EXAMPLES, example_event
from services.ingest.guard import exact_findings, guard

RECORDED = EXAMPLES["engagement.recorded"]
EMAIL = "jo.bloggs@example.org"


def recorded(**changes: Any) -> dict[str, Any]:
    return {**example_event("engagement.recorded", "g-1"), **changes}


def refused_fields(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(Refused) as refused:
        check_events([raw])
    return {problem["field"]: problem["message"] for problem in refused.value.problems}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (recorded(id=EMAIL), "id"),
        (recorded(source=f"urn:cms:{EMAIL}"), "source"),
        (recorded(subject="call 07700 900123"), "subject"),
        (recorded(partnerref="M1 1AE"), "partnerref"),
        (recorded(data={**RECORDED, "service_id": EMAIL}), "data.service_id"),
        (recorded(data={**RECORDED, "participant_ids": ["p-1", EMAIL]}), "data.participant_ids.1"),
        (recorded(data={**RECORDED, "contact_id": "07700900123"}), "data.contact_id"),
        (recorded(data={**RECORDED, "extra": {"notes": [{"who": "NHS 999 000 0018"}]}}), "data.extra.notes.0.who"),
        (recorded(data={**RECORDED, "extra": {EMAIL: "yes"}}), "data.extra"),
        (recorded(data={**RECORDED, "participant_ids": ["p-1", "Jo Bloggs"]}), "data.participant_ids.1"),
    ],
)
def test_every_string_is_checked_and_the_field_named(raw: dict[str, Any], field: str) -> None:
    assert field in refused_fields(raw)


def test_the_answer_says_what_it_looks_like_and_never_repeats_the_value() -> None:
    problems = refused_fields(recorded(data={**RECORDED, "summary": "post to M1 1AE", "extra": {EMAIL: 1}}))
    assert "looks like a postcode" in problems["data.summary"]
    assert "the name of a field here looks like an email address" in problems["data.extra"]
    assert not any("M1 1AE" in message or EMAIL in message for message in problems.values())


@pytest.mark.parametrize("where", ["id", "source", "subject", "data.activity_id", "data.extra"])
def test_control_characters_are_refused_by_field(where: str) -> None:
    raw = recorded(data={**RECORDED})
    target = raw["data"] if where.startswith("data.") else raw
    target[where.removeprefix("data.")] = "a\x00b" if where != "subject" else "line\x07"
    assert "control character" in refused_fields(raw)[where]


def test_tabs_and_newlines_are_ordinary_text() -> None:
    assert check_events([recorded(data={**RECORDED, "summary": "Tea\tand\ntalk\r\n"})])


def test_undeclared_texts_have_a_size_limit() -> None:
    big = recorded(data={**RECORDED, "notes": "x" * 10_001})
    assert "longer than 10,000 characters" in refused_fields(big)["data.notes"]
    assert check_events([recorded(data={**RECORDED, "notes": "x" * 10_000})])
    with pytest.raises(Refused):
        check_events([recorded(data={**RECORDED, "notes": "x" * 501})], max_text=500)


def test_depth_costs_nothing() -> None:
    nested: Any = "jo@example.org"
    for _ in range(5000):
        nested = {"n": nested}
    assert [finding.field.count(".") for finding in exact_findings(0, {"data": nested})] == [5000]


def test_the_quick_pass_and_the_exact_reading_agree() -> None:
    raws = [recorded(id=f"q-{i}", data={**RECORDED, "summary": text}) for i, text in enumerate(TEXTS)]
    quick = {(finding.event, finding.field) for finding in guard(raws)}
    exact = {(i, finding.field) for i, raw in enumerate(raws) for finding in exact_findings(i, raw)}
    assert quick == exact and len(exact) == 3


TEXTS = ["fine", "call 07700 900123", "2025-06-01", "café jo@example.org", "Tea \"and\" talk", "dob: 01/02/1950"]


@pytest.mark.parametrize("seed", [2025, 7])
def test_the_demo_year_passes_the_guard(seed: int) -> None:
    year = demo_year(financial_year_start(date.today()), seed)
    events = [*year.events, *year.opportunities]
    assert len(check_events(events)) == len(events)
