import pytest

from services.ingest.content import BadRequest, Limits, read_events

LIMITS = Limits(max_events=3, max_bytes=1000)


def test_structured_batch_and_plain_json() -> None:
    assert read_events({"content-type": "application/cloudevents+json"}, b'{"id": "1"}', LIMITS) == [{"id": "1"}]
    batch = read_events({"content-type": "application/cloudevents-batch+json"}, b'[{"id": "1"}, {"id": "2"}]', LIMITS)
    assert len(batch) == 2
    assert read_events({"content-type": "application/json; charset=utf-8"}, b'[{"id": "1"}]', LIMITS) == [{"id": "1"}]


def test_binary_mode_takes_attributes_from_headers() -> None:
    headers = {"content-type": "application/json", "ce-specversion": "1.0", "ce-id": "9", "ce-type": "t"}
    (event,) = read_events(headers, b'{"a": 1}', LIMITS)
    assert event == {
        "specversion": "1.0",
        "id": "9",
        "type": "t",
        "datacontenttype": "application/json",
        "data": {"a": 1},
    }


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/csv", b"a,b", 415),
        ("", b"{}", 415),
        ("application/json", b"{oops", 400),
        ("application/cloudevents-batch+json", b"{}", 422),
        ("application/cloudevents+json", b"[]", 422),
        ("application/json", b"[]", 422),
        ("application/json", b"[{}, {}, {}, {}]", 413),
        ("application/json", b"[" + b" " * 1000 + b"]", 413),
    ],
)
def test_unreadable_requests(content_type: str, body: bytes, status: int) -> None:
    with pytest.raises(BadRequest) as refused:
        read_events({"content-type": content_type}, body, LIMITS)
    assert refused.value.status == status
