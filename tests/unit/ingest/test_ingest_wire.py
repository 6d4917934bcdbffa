import orjson
import pytest

from services.ingest.examples import EXAMPLES, example_event
from services.ingest.store import StoredEvent
from services.ingest.wire import frame
from shared.streams import WIRE_FORMAT


def stored(event_type: str, position: int) -> StoredEvent:
    body = {**example_event(event_type, f"w-{position}"), "subject": "garden café"}
    return StoredEvent(position, event_type, orjson.dumps(body).decode())


@pytest.mark.parametrize("position", [1, 42, 10**12])
async def test_frames_are_the_bytes_faststream_writes(position: int) -> None:
    for event_type in EXAMPLES:
        event = stored(event_type, position)
        expected = await WIRE_FORMAT.encode(
            message=event.as_json().encode(),
            reply_to=None,
            headers={"content-type": "application/json", "position": str(position), "type": event_type},
            correlation_id="c0ffee00-0000-4000-8000-000000000000",
        )
        assert frame(event, "c0ffee00-0000-4000-8000-000000000000") == expected


def test_faststream_reads_back_the_event_and_its_headers() -> None:
    event = stored("champion.joined", 7)
    body, headers = WIRE_FORMAT.parse(frame(event))
    assert orjson.loads(body) == {"position": 7, **orjson.loads(event.body)}
    assert headers["position"] == "7" and headers["type"] == "champion.joined"
    assert headers["content-type"] == "application/json"
    assert headers["correlation_id"] != WIRE_FORMAT.parse(frame(event))[1]["correlation_id"]
