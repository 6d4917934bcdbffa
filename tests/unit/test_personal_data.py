import pytest

from shared import personal_data as pd
from shared.personal_data import looks_like, looks_like_a_name, personal_data_in

DISGUISED = [
    # email addresses, plain and disguised
    ("write to jo.bloggs@example.org", pd.EMAIL),
    ("mail JO@Example.CO.UK please", pd.EMAIL),
    ("jo (at) example (dot) org", pd.EMAIL),
    ("jo[at]example[dot]org", pd.EMAIL),
    ("jo [at] example [dot] org", pd.EMAIL),
    ("jo {at} example {dot} org", pd.EMAIL),
    ("jo at example dot org", pd.EMAIL),
    ("jo＠example.org", pd.EMAIL),
    ("jo﹫example.org", pd.EMAIL),
    ("jo@localhost", pd.EMAIL),
    ("reach me on jo@intranet", pd.EMAIL),
    ("mailto:jo@example.org", pd.EMAIL),
    ("mailto%3Ajo%40example.org", pd.EMAIL),
    ("jo%40example.org", pd.EMAIL),
    ("jo @ example . org", pd.EMAIL),
    ("jo.bloggs @example.org", pd.EMAIL),
    ("jo\u200b@\u200bexample.org", pd.EMAIL),
    ("Jo.Bloggs+care@Example.org", pd.EMAIL),
    # phone numbers, plain and disguised
    ("Ring Jo on 07700 900123", pd.PHONE),
    ("07700900123", pd.PHONE),
    ("07700.900.123", pd.PHONE),
    ("0 7 7 0 0 9 0 0 1 2 3", pd.PHONE),
    ("07\u200b700 900\u200b123", pd.PHONE),
    ("07700\u2060900123", pd.PHONE),
    ("０７７００ ９００１２３", pd.PHONE),
    ("0044 7700 900123", pd.PHONE),
    ("+44 7700 900123", pd.PHONE),
    ("+447700900123", pd.PHONE),
    ("+44 (0) 7700 900123", pd.PHONE),
    ("＋４４ ７７００ ９００１２３", pd.PHONE),
    ("office 0161 496 0000", pd.PHONE),
    ("(0161) 496 0000", pd.PHONE),
    ("020 7946 0958", pd.PHONE),
    ("0161-496-0000", pd.PHONE),
    ("+1 202 555 0143", pd.PHONE),
    ("tel:07700900123", pd.PHONE),
    ("on 2025-06-01 call 07700 900123", pd.PHONE),
    ("07700 - 900 - 123", pd.PHONE),
    # postcodes
    ("lives at M1 1AE", pd.POSTCODE),
    ("SW1A 1AA", pd.POSTCODE),
    ("sw1a 1aa", pd.POSTCODE),
    ("EC1A1BB", pd.POSTCODE),
    ("flat 2, B33 8TH", pd.POSTCODE),
    ("CR2 6XH", pd.POSTCODE),
    ("ＬＳ１ ４ＡＰ", pd.POSTCODE),
    # NHS numbers with a valid check digit
    ("NHS 999 000 0018", pd.NHS_NUMBER),
    ("9990000026", pd.NHS_NUMBER),
    ("999-000-0034", pd.NHS_NUMBER),
    ("nhs no. 943 476 5919", pd.NHS_NUMBER),
    # National Insurance numbers
    ("NI AB 12 34 56 C", pd.NI_NUMBER),
    ("ab123456c", pd.NI_NUMBER),
    ("QQ 12 34 56 A", pd.NI_NUMBER),
    ("JG-10-37-25-D", pd.NI_NUMBER),
    # dates of birth
    ("DOB 01/02/1950", pd.BIRTH_DATE),
    ("d.o.b. 1.2.1950", pd.BIRTH_DATE),
    ("D.O.B: 1950", pd.BIRTH_DATE),
    ("date of birth 1950-02-01", pd.BIRTH_DATE),
    ("born 1 Feb 1950", pd.BIRTH_DATE),
    ("born on the 1st of February 1950", pd.BIRTH_DATE),
    ("Born February 1, 1950", pd.BIRTH_DATE),
    ("birthday is 01-02-1950", pd.BIRTH_DATE),
]

ORDINARY = [
    "2025-06-01",
    "2025-06-01T10:00:00+01:00",
    "2025-06-01T10:00:00Z",
    "2025-06-01 10:30",
    "met on 01/06/2025 and 2025-07-01",
    "10:00-12:30",
    "09.00 - 10.30 and 11.00 - 12.30",
    "12 customers, 3 colleagues",
    "budget 1000000",
    "£1,250.50",
    "£12.50 each, £1,000,000 a year",
    "45%",
    "up 12.5% on 2024",
    "Strategy 23-26",
    "the 2023-2026 strategy",
    "2024-25 and 2025-26",
    "Room 3.14",
    "room G12, 2nd floor",
    "B2 2nd floor",
    "https://example.org/menu?page=2",
    "http://www.example.org/2025/06/01/garden-day",
    "svc-0042",
    "urn:cms:north",
    "urn:uuid:6f1e4d52-3c57-4a0b-9a8e-2b1f4bce0d11",
    "6f1e4d52-3c57-4a0b-9a8e-2b1f4bce0d11",
    "ref 2025-0612-0001",
    "case A-07700900123",
    "meet at 10:30 at the hall",
    "Meet @ the hall",
    "Customers planned the garden with us",
    "Tea and talk about the garden",
    "co_producing",
    "version 1.2.3",
    "192.168.0.1",
    "born out of the residents' forum",
    "the birthday party for the scheme",
    "p-9f2",
    "cust-0042",
]


@pytest.mark.parametrize(("text", "kind"), DISGUISED)
def test_disguised_personal_data_is_spotted(text: str, kind: str) -> None:
    assert looks_like(text) == kind


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_passes(text: str) -> None:
    assert looks_like(text) is None


def test_the_table_is_big_enough() -> None:
    assert len(DISGUISED) >= 50 and len(ORDINARY) >= 30


@pytest.mark.parametrize("person_id", ["Jo Bloggs", "jo bloggs", "Bloggs, Jo", "JoBloggs", "Mary-Jane O'Neil", "Jo"])
def test_a_name_given_as_an_id_is_spotted(person_id: str) -> None:
    assert looks_like_a_name(person_id)


@pytest.mark.parametrize("person_id", ["p-1", "cust-0042", "CM123456", "p", "gone", "c1", "p_0a1b2c3d"])
def test_ids_are_not_names(person_id: str) -> None:
    assert not looks_like_a_name(person_id)


def test_texts_checked_together_are_told_apart() -> None:
    assert personal_data_in(["fine", "jo@example.org", "2025-06-01", "M1 1AE", "ok"]) == {1: pd.EMAIL, 3: pd.POSTCODE}


def test_no_rule_reads_across_two_texts() -> None:
    assert personal_data_in(["jo", "@example.org"]) == {}
    assert personal_data_in(["07700", "900123"]) == {}


ONE_MEGABYTE = 1_000_000
HOSTILE = [
    "a" * ONE_MEGABYTE,
    "a." * (ONE_MEGABYTE // 2),
    "@" * ONE_MEGABYTE,
    "a@" * (ONE_MEGABYTE // 2),
    "a @ " * (ONE_MEGABYTE // 4),
    "0" * ONE_MEGABYTE,
    "0 " * (ONE_MEGABYTE // 2),
    "1-" * (ONE_MEGABYTE // 2),
    "M1 " * (ONE_MEGABYTE // 3),
    "dob " * (ONE_MEGABYTE // 4),
    "born 1 " * (ONE_MEGABYTE // 7),
    "(at)" * (ONE_MEGABYTE // 4),
    "\u200b7" * (ONE_MEGABYTE // 2),
]


@pytest.mark.timeout(120)
def test_a_one_megabyte_text_is_checked_in_linear_time() -> None:
    """A backtracking pattern takes minutes to hours on these (the old email pattern took 14 s on 80,000
    characters, growing with the square); linear checks finish them all in seconds on any machine."""
    for text in HOSTILE:
        looks_like(text)
    assert looks_like("x" * ONE_MEGABYTE + " jo@example.org") == pd.EMAIL
    assert looks_like("x " * (ONE_MEGABYTE // 2) + "07700 900123") == pd.PHONE
