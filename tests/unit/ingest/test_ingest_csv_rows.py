import pytest

from services.ingest.csv_rows import BadRow, row_to_event


def test_lists_split_on_semicolons_and_dotted_columns_nest() -> None:
    row = {
        "champion_id": "c1",
        "role": "customer",
        "joined_on": "2025-04-01",
        "interests": "a; b",
        "quiet_hours.start": "21:00",
        "quiet_hours.end": "08:00",
        "format": "",
    }
    event = row_to_event(row, "champion.joined", "urn:sheet")
    assert event["data"] == {
        "champion_id": "c1",
        "role": "customer",
        "joined_on": "2025-04-01",
        "interests": ["a", "b"],
        "quiet_hours": {"start": "21:00:00", "end": "08:00:00"},
    }
    assert event["time"] == "2025-04-01T00:00:00+00:00"


def test_the_id_derives_from_source_and_the_rows_key() -> None:
    row = {"service_id": "s1", "closed_on": "2025-01-01"}
    first = row_to_event(row, "service.closed", "urn:a")["id"]
    assert row_to_event(dict(row), "service.closed", "urn:a")["id"] == first
    assert row_to_event(row, "service.closed", "urn:b")["id"] != first
    assert row_to_event({**row, "event_id": "mine"}, "service.closed", "urn:a")["id"] == "mine"


def test_a_type_without_a_date_needs_a_time_column() -> None:
    row = {"session_id": "t1", "person_id": "p1", "role": "colleague"}
    with pytest.raises(BadRow, match="time"):
        row_to_event(row, "training.attended", "urn:a")
    assert row_to_event({**row, "time": "2025-06-01T10:00:00+01:00"}, "training.attended", "urn:a")["time"]
