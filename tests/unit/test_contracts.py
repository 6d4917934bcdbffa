import pytest

from shared.events import EVENT_TYPES, InvalidEvent, parse_event

T = "2025-06-01T10:00:00+01:00"


def raw(type_: str, data: dict[str, object]) -> dict[str, object]:
    return {"specversion": "1.0", "id": "e-1", "source": "urn:test", "type": type_, "time": T, "data": data}


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
