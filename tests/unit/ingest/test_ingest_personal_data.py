import pytest

from services.ingest.personal_data import contact_details_in, looks_like_contact_details


@pytest.mark.parametrize(
    "text",
    [
        "Ring Jo on 07700 900123",
        "+44 7700 900123",
        "+447700900123",
        "office 0161 496 0000",
        "(0161) 496 0000",
        "020 7946 0958",
        "+1 202 555 0143",
        "jo.bloggs@example.org",
        "mail JO@Example.CO.UK please",
    ],
)
def test_contact_details_are_spotted(text: str) -> None:
    assert looks_like_contact_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-01",
        "2025-06-01T10:00:00+01:00",
        "met on 01/06/2025 and 2025-07-01",
        "12 customers, 3 colleagues",
        "ref 2025-0612-0001",
        "case A-07700900123",
        "budget 1000000",
    ],
)
def test_dates_numbers_and_references_are_not(text: str) -> None:
    assert looks_like_contact_details(text) is None


def test_identifier_fields_are_never_checked_and_the_field_is_named() -> None:
    data = {"person_id": "07700900123", "notes": ["fine", "call 07700 900123"], "qh": {"who": "a@b.org"}}
    assert list(contact_details_in(data)) == [("data.notes.1", "a phone number"), ("data.qh.who", "an email address")]
