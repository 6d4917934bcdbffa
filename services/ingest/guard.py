"""The guard: every string of every event (attributes, `data` to the deepest list item, and every key) checked
before anything is stored. The rules themselves are in `personal_data`.

Most events are plain ASCII JSON: those are scanned together, as the JSON they are stored as, in one pass. Only
an event with a hit there, or one whose JSON escapes something or is not ASCII, is read text by text to name the
field (`exact_findings`), which is the reference: the quick pass may send an event there that then passes, never
the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import orjson

from shared import personal_data
from shared.personal_data import NAME

PERSON_FIELDS = frozenset({"person_id", "participant_ids", "champion_id"})
"""`data` fields that hold people's upstream ids: each is also checked for a name given as an id."""
DEFAULT_MAX_TEXT = 10_000
_JOIN = b"\x00"


@dataclass(frozen=True)
class Finding:
    event: int
    field: str
    message: str


Text = tuple[str, str, bool, bool]
"""A string of an event: its field, its value, whether it is a key, whether it holds a person's id."""


def guard(raws: Sequence[Any], max_text: int = DEFAULT_MAX_TEXT, bodies: Sequence[bytes] = ()) -> list[Finding]:
    """What is wrong with the texts of these events, by event index and field; never repeats a value.
    `bodies` are the events' JSON (orjson) when the caller has them already."""
    bodies = bodies or [orjson.dumps(raw) for raw in raws]
    closer_look = {index for index, body in enumerate(bodies) if _needs_reading(raws[index], body, max_text)}
    plain = [index for index in range(len(raws)) if index not in closer_look]
    closer_look.update(_hit_events(plain, bodies))
    return [finding for index in sorted(closer_look) for finding in exact_findings(index, raws[index], max_text)]


def exact_findings(event: int, raw: Any, max_text: int = DEFAULT_MAX_TEXT) -> list[Finding]:
    findings: dict[str, Finding] = {}
    readable: list[Text] = []
    for text in texts_of(raw):
        if problem := _unreadable(text[1], max_text):
            findings.setdefault(text[0], Finding(event, text[0], _where(text) + problem))
        else:
            readable.append(text)
    for index, kind in sorted(personal_data.personal_data_in([text[1] for text in readable]).items()):
        findings.setdefault(readable[index][0], _personal(event, readable[index], kind))
    for text in readable:
        if text[3] and not text[2] and personal_data.looks_like_a_name(text[1]):
            findings.setdefault(text[0], _personal(event, text, NAME))
    return list(findings.values())


def texts_of(raw: Any) -> list[Text]:
    """Every string in the event with the field it is in, in order; without recursion, so depth costs nothing."""
    found: list[Text] = []
    pending: list[tuple[Any, str, bool]] = [(raw, "", False)]
    while pending:
        value, path, is_person = pending.pop()
        if isinstance(value, str):
            found.append((path or "event", value, False, is_person))
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                found.append((path or "event", str(key), True, False))
                child = f"{path}.{key}" if path else str(key)
                children.append((item, child, is_person or (path == "data" and key in PERSON_FIELDS)))
            pending.extend(reversed(children))
        elif isinstance(value, list):
            pending.extend(reversed([(item, f"{path}.{i}", is_person) for i, item in enumerate(value)]))
    return found


def _needs_reading(raw: Any, body: bytes, max_text: int) -> bool:
    """Escapes (control characters, quotes, newlines) and non-ASCII text are read text by text, as are people's
    ids that hold no digit (a name, perhaps) and anything long enough to hold a text over the limit."""
    if len(body) > max_text or b"\\" in body or not body.isascii():
        return True
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, dict) or not PERSON_FIELDS & data.keys():
        return False
    return any(_could_be_a_name(data.get(field)) for field in PERSON_FIELDS)


def _could_be_a_name(value: Any) -> bool:
    if isinstance(value, list):
        return any(_could_be_a_name(item) for item in value)
    return isinstance(value, str) and not any(char.isdigit() for char in value)


def _hit_events(indexes: list[int], bodies: Sequence[bytes]) -> set[int]:
    if not indexes:
        return set()
    starts = list(accumulate((len(bodies[index]) + len(_JOIN) for index in indexes[:-1]), initial=0))
    joined = _JOIN.join(bodies[index] for index in indexes)
    return {indexes[part] for part, _ in personal_data.hits(joined, starts)}


def _unreadable(value: str, max_text: int) -> str | None:
    if len(value) > max_text:
        return f"is longer than {max_text:,} characters, the most coprod takes in one text"
    if personal_data.has_control_character(value):
        return "holds a control character (such as NUL), which coprod does not take"
    return None


def _personal(event: int, text: Text, kind: str) -> Finding:
    if kind == NAME:
        advice = "send the person's id from your system instead (coprod replaces it with a token of its own)"
    else:
        advice = (
            "coprod keeps events for ever, so personal data must never be sent in an event"
            " (contact details go to the notify service alone)"
        )
    return Finding(event, text[0], f"{_where(text)}looks like {kind}; {advice}")


def _where(text: Text) -> str:
    return "the name of a field here " if text[2] else "this text "
