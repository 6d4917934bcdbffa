from typing import Any

import pytest

from services.ingest.examples import EXAMPLES, example_event
from shared.events import EVENT_TYPES, InvalidEvent, cloud_event, parse_event
from shared.events.registry import parse_by_parts

T = "2025-06-01T10:00:00+01:00"


def raw(type_: str, data: dict[str, object]) -> dict[str, object]:
    return cloud_event(type_, data, id="e-1", source="urn:test", time=T)


def test_unknown_data_fields_are_kept() -> None:
    data = {"feedback_id": "f1", "responded_on": "2025-06-02", "action_taken": True, "ticket": "T-9"}
    event = parse_event(raw("feedback.responded", data))
    assert event.model_dump(mode="json")["data"]["ticket"] == "T-9"


def test_every_problem_names_its_field() -> None:
    data = {"activity_id": "a1", "activity_type": "meeting", "level": "shouting", "mode": "face_to_face"}
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw("engagement.recorded", data))
    assert {p.field for p in caught.value.problems} == {"data.level", "data.occurred_on"}


def test_unknown_type_is_refused_by_name() -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw("engagement.deleted", {}))
    assert caught.value.problems[0].field == "type"


def test_a_regional_opportunity_must_name_its_region() -> None:
    data = {
        "opportunity_id": "o",
        "title": "t",
        "summary": "s",
        "scope": "regional",
        "closes_on": "2025-07-01",
    }
    with pytest.raises(InvalidEvent, match="region"):
        parse_event(raw("opportunity.published", data))


def test_the_registry_covers_every_contract_type() -> None:
    assert len(EVENT_TYPES) == 21


GOOD = example_event("engagement.recorded", "t-1")
BROKEN: list[Any] = [
    "not an event",
    {k: v for k, v in GOOD.items() if k != "time"},
    {**GOOD, "time": "2025-06-03T10:00:00"},
    {**GOOD, "type": "engagement.exploded"},
    {**GOOD, "type": ["engagement.recorded"]},
    {**GOOD, "specversion": "0.3", "id": ""},
    {**GOOD, "data": [1, 2]},
    {**GOOD, "data": {**GOOD["data"], "level": "shouting", "occurred_on": "soon"}},
    {**example_event("opportunity.published"), "data": {**EXAMPLES["opportunity.published"], "scope": "regional"}},
]


@pytest.mark.parametrize("event_type", list(EXAMPLES))
def test_the_one_call_check_gives_the_event_the_part_by_part_check_gives(event_type: str) -> None:
    raw = {**example_event(event_type, "t-2"), "partner_ref": "x-1"}
    assert parse_event(raw, position=7).model_dump() == parse_by_parts(raw, position=7).model_dump()


@pytest.mark.parametrize("raw", BROKEN)
def test_a_broken_event_is_refused_with_each_problem_named(raw: Any) -> None:
    with pytest.raises(InvalidEvent) as invalid:
        parse_event(raw)
    assert invalid.value.problems
    assert all(problem.field and problem.message for problem in invalid.value.problems)
