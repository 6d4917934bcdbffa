"""What personal data looks like in a text: every rule the guard applies, each in time linear in its input.

Texts are read after Unicode normalisation (NFKC, format characters such as zero-width spaces removed), so a
fullwidth `＠`, fullwidth digits or a number broken up by invisible characters read plainly. One RE2 pattern
(no backtracking, ever) finds every candidate in all the texts of a request at once; the few candidates it finds
are then checked in plain Python (a phone number's length, an NHS number's check digit).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import accumulate, chain

from . import linear_regex as rx

EMAIL = "an email address"
PHONE = "a phone number"
POSTCODE = "a postcode"
NHS_NUMBER = "an NHS number"
NI_NUMBER = "a National Insurance number"
BIRTH_DATE = "a date of birth"
NAME = "a person's name"

_AT = r"(?:@|%40|[(\[{<]\s*at\s*[)\]}>])"
_DOT = r"(?:\.|[(\[{<]\s*dot\s*[)\]}>])"
_LOCAL, _DOMAIN = r"[a-z0-9._%+\-]+", r"[a-z0-9\-]+"
_EMAIL = "|".join(
    [
        rf"{_LOCAL}{_AT}{_DOMAIN}",
        rf"{_LOCAL}\s*{_AT}\s*{_DOMAIN}(?:\s*{_DOT}\s*[a-z]{{2,}})+",
        rf"{_LOCAL}\s+at\s+{_DOMAIN}(?:\s+dot\s+[a-z]{{2,}})+",
        r"\bmailto(?::|%3a)",
    ]
)
_DIGITS = r"\+?\d(?:[ .\-()]{0,3}\d){8,}"
_AREAS = (
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK "
    "FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN "
    "NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW "
    "UB W WA WC WD WF WN WR WS WV YO ZE"
).split()
_POSTCODE = rf"\b(?:{'|'.join(sorted(_AREAS, key=len, reverse=True))})\d[a-z\d]?[ \t]*\d[a-z]{{2}}\b"
_NI_NUMBER = r"\b[a-ceghj-tw-z][a-ceghj-np-tw-z][ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[a-d]\b"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL_DATE = (
    rf"(?:\d{{1,2}}[/.\- ]\d{{1,2}}[/.\- ]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{2,4}}|{_MONTH}\.?\s+{_DAY},?\s+\d{{4}})"
)
_BIRTH_DATE = (
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|birthday)\s*(?:is|was|:|-|=)?\s*(?:on\s+)?(?:the\s+)?"
    rf"(?:{_FULL_DATE}|(?:19|20)\d\d\b)|\bborn\s+(?:on\s+)?(?:the\s+)?{_FULL_DATE}"
)
_KINDS = {"email": EMAIL, "digits": None, "postcode": POSTCODE, "ni": NI_NUMBER, "dob": BIRTH_DATE}
_CANDIDATES = rx.Pattern(
    "(?i)" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in [
        ("email", _EMAIL), ("dob", _BIRTH_DATE), ("ni", _NI_NUMBER), ("postcode", _POSTCODE), ("digits", _DIGITS),
    ])
)
_SEPARATOR = b"\x00"
"""Between the texts scanned together: no rule's pattern crosses it, and a text holding it is refused first."""

_NAMES = rx.Pattern(r"[A-Za-z][A-Za-z'.\-]*(?:,?\s+[A-Za-z][A-Za-z'.\-]*)+|(?:[A-Z][a-z]+)+(?:['\-][A-Z]?[a-z]+)*")
# Python's own engine, for patterns that are one character class and no repetition, so cannot backtrack:
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DIGIT_GROUP = re.compile(r"\d+")
_INWARD_LETTERS = frozenset("ABDEFGHJLNPQRSTUWXYZ")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_LONGEST_PHONE_GROUPS = 13


def normalised(text: str) -> str:
    """NFKC, without format characters (zero-width spaces and joiners, soft hyphens, direction marks)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text.translate(_format_characters()))


@cache
def _format_characters() -> dict[int, None]:
    """Unicode's format characters (category Cf): all in the Basic Multilingual Plane, bar a few rare
    scripts' marks and the invisible tag characters (U+E0000 to U+E0FFF), which hide text."""
    planes = chain(range(0x10000), range(0x1D173, 0x1D17B), range(0xE0000, 0xE1000))
    return {code: None for code in planes if unicodedata.category(chr(code)) == "Cf"}


def has_control_character(text: str) -> bool:
    """NUL and the other control characters; tab, newline and carriage return are ordinary text."""
    return _CONTROL.search(text) is not None


def looks_like_a_name(person_id: str) -> bool:
    """A person's id made of words and no digits ("Jo Bloggs", "Bloggs, Jo", "JoBloggs") is their name."""
    if any(char.isdigit() for char in person_id):
        return False
    return _NAMES.whole(normalised(person_id).strip().encode())


def looks_like(text: str) -> str | None:
    """What personal data one text looks like it holds (`EMAIL`, `PHONE`, …), or None."""
    return personal_data_in([text]).get(0)


def personal_data_in(texts: Sequence[str]) -> dict[int, str]:
    """For each text (by index) that looks like it holds personal data, what it looks like. No text may hold NUL."""
    plain = [normalised(text).encode() for text in texts]
    starts = list(accumulate((len(text) + len(_SEPARATOR) for text in plain[:-1]), initial=0))
    return dict(hits(_SEPARATOR.join(plain), starts))


def hits(text: bytes, starts: Sequence[int]) -> Iterator[tuple[int, str]]:
    """Each part of an already normalised UTF-8 text (`starts`: where each part starts) that looks like it holds
    personal data, and what; once a part is found, the search goes on from the next part."""
    position = 0
    while (match := _CANDIDATES.first_match(text, position)) is not None:
        start, stop, name = match
        part = bisect_right(starts, start) - 1
        if kind := _confirmed(name, text[start:stop].decode(errors="replace"), text, start):
            yield part, kind
            if part + 1 == len(starts):
                return
            position = starts[part + 1]
        else:
            position = max(stop, start + 1)


def _confirmed(name: str, candidate: str, text: bytes, start: int) -> str | None:
    if name == "digits":
        return None if _glued(text, start) else _number_kind(candidate)
    if name == "postcode":
        inward = candidate[-2:]
        ordinal = inward.islower() and inward in _ORDINALS
        return POSTCODE if set(inward.upper()) <= _INWARD_LETTERS and not ordinal else None
    return _KINDS[name]


def _glued(text: bytes, start: int) -> bool:
    """Digits that are the tail of a reference (`case A-0770…`, `svc-0042`) are part of an id, not a number."""
    before = text[start - 1 : start] if start else b""
    return before.isalnum() or (before in (b"-", b"_", b"/") and text[start - 2 : start - 1].isalnum())


def _number_kind(run: str) -> str | None:
    """A run of digit groups may hold a number after a date or a count: every window of its groups is tried."""
    groups = _DIGIT_GROUP.findall(run)
    international = run.startswith("+")
    for first, group in enumerate(groups):
        if len(group) in (3, 10) and _is_nhs_number(groups[first : first + (3 if len(group) == 3 else 1)]):
            return NHS_NUMBER
        if group[0] == "0" or (first == 0 and international):
            if _phone_among(groups[first : first + _LONGEST_PHONE_GROUPS], international and first == 0):
                return PHONE
    return None


def _phone_among(groups: list[str], international: bool) -> bool:
    digits = ""
    for group in groups:
        digits += group
        if _is_phone_number(digits, international):
            return True
    return False


def _is_nhs_number(groups: list[str]) -> bool:
    if [len(group) for group in groups] not in ([10], [3, 3, 4]):
        return False
    digits = "".join(groups)
    check = 11 - sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and check % 11 == int(digits[9])


def _is_phone_number(digits: str, international: bool) -> bool:
    if not international and digits.startswith("00"):
        digits, international = digits[2:], True
    if international:
        if digits.startswith("44"):
            return len(digits[2:].removeprefix("0")) == 10
        return 9 <= len(digits) <= 15
    return digits.startswith("0") and digits[1:2] not in ("", "0") and len(digits) in (10, 11)

