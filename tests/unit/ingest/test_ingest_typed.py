from typing import Any

import pytest

from services.ingest.checks import problems_of
from services.ingest.examples import EXAMPLES, example_event
from services.ingest.typed import valid_envelope
from shared.events import InvalidEvent, parse_event

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
def test_every_valid_example_passes_the_one_call_check_with_its_attributes(event_type: str) -> None:
    raw = example_event(event_type, "t-2")
    checked, parsed = valid_envelope(raw), parse_event(raw)
    assert checked is not None
    assert (checked.source, checked.id, checked.type, checked.time, checked.subject) == (
        parsed.source,
        parsed.id,
        parsed.type,
        parsed.time,
        parsed.subject,
    )


@pytest.mark.parametrize("raw", BROKEN)
def test_what_parse_event_refuses_is_reported_in_its_words(raw: Any) -> None:
    assert valid_envelope(raw) is None
    with pytest.raises(InvalidEvent) as invalid:
        parse_event(raw)
    event, problems = problems_of(raw)
    assert event is None
    assert problems == [{"field": p.field, "message": p.message} for p in invalid.value.problems]
