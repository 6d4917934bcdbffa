import pytest

from services.ingest.checks import Refused, check_events, check_permission, check_request
from services.ingest.examples import EXAMPLES, example_event
from shared.auth import ApiKey, NotAllowed


def test_every_example_passes_and_keeps_its_json_as_received() -> None:
    raws = [example_event(t, f"e-{i}") for i, t in enumerate(EXAMPLES)]
    raws[0]["data"] = {"zz_first": 1, **raws[0]["data"]}
    checked = check_events(raws)
    assert len(checked) == len(EXAMPLES)
    assert checked[0].body.startswith('{"specversion":"1.0","id":"e-0"') and '"data":{"zz_first":1' in checked[0].body


def test_key_order_does_not_change_the_digest() -> None:
    raw = example_event("service.closed")
    reordered = {k: raw[k] for k in reversed(list(raw))}
    assert check_events([raw])[0].digest == check_events([reordered])[0].digest


def test_every_problem_is_listed_by_index() -> None:
    good = example_event("service.closed")
    with pytest.raises(Refused) as refused:
        check_events([good, "not an event", {**good, "time": "yesterday"}])
    assert [(p["index"], p["field"]) for p in refused.value.problems] == [(1, "(event)"), (2, "time")]


def test_a_key_may_send_only_its_sources_and_types() -> None:
    key = ApiKey(name="cms", key="x" * 16, sources=["urn:cms:*"], types=["engagement.*"])
    check_permission([{"source": "urn:cms:a", "type": "engagement.recorded"}], key)
    with pytest.raises(NotAllowed, match="event 1"):
        check_permission(
            [{"source": "urn:cms:a", "type": "engagement.recorded"}, {"source": "urn:cms:a", "type": "service.closed"}],
            key,
        )


async def test_a_large_request_is_checked_in_a_thread_with_the_same_answer() -> None:
    good = example_event("service.closed")
    raws = [{**good, "id": f"t-{i}"} for i in range(250)]
    raws[3], raws[180] = "not an event", {**good, "time": "yesterday"}
    with pytest.raises(Refused) as in_a_thread:
        await check_request(raws, body_bytes=10**6)
    with pytest.raises(Refused) as at_once:
        check_events(raws)
    assert in_a_thread.value.problems == at_once.value.problems
    assert [(p["index"], p["field"]) for p in in_a_thread.value.problems] == [(3, "(event)"), (180, "time")]
    del raws[180], raws[3]
    in_a_thread_too = await check_request(raws, body_bytes=10**6)
    assert in_a_thread_too == await check_request(raws, body_bytes=100) == check_events(raws)


def test_only_a_limited_key_for_the_webs_sources_alone_sends_them() -> None:
    from shared.auth import ApiKey

    limited = ApiKey(name="north", key="k" * 16, sources=["urn:coprod:web:*"], regions=["north_west"])
    anywhere = ApiKey(name="wide", key="k" * 16, sources=["urn:coprod:web:*", "urn:cms:*"], regions=["north_west"])
    unlimited = ApiKey(name="web-ish", key="k" * 16, sources=["urn:coprod:web:*"])
    assert limited.may_send("urn:coprod:web:user:abc", "engagement.recorded")
    assert not limited.may_send("urn:coprod:web:user:abc", "notification.sent")
    assert not anywhere.may_send("urn:coprod:web:user:abc", "engagement.recorded")
    assert not unlimited.may_send("urn:coprod:web:user:abc", "engagement.recorded")
