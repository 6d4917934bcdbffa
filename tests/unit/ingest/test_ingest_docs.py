import json
from pathlib import Path

from services.ingest.docs import events_markdown
from services.ingest.schemas import schema_of
from shared.events import EVENT_TYPES

DOCS = Path(__file__).parents[3] / "docs"


def test_the_committed_event_reference_is_up_to_date() -> None:
    assert (DOCS / "events.md").read_text() == events_markdown()


def test_every_type_has_a_committed_schema_naming_its_required_fields() -> None:
    for event_type in EVENT_TYPES:
        committed = json.loads((DOCS / "schemas" / f"{event_type}.json").read_text())
        assert committed == schema_of(event_type)
        assert committed["properties"]["data"]["required"]
