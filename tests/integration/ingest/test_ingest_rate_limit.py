import pytest
from ingest_helpers import event, running

from services.ingest.examples import EXAMPLES
from services.ingest.settings import IngestSettings
from shared.ratelimit import RateLimited, Throttle

DATA = EXAMPLES["engagement.recorded"]


async def test_a_key_above_its_rate_is_told_when_to_come_back(settings: IngestSettings) -> None:
    limited = settings.model_copy(update={"rate_limit_per_minute": 3})
    async with running(limited) as client:
        answers = [await client.post("/v1/events", json=event("engagement.recorded", f"r-{i}", DATA)) for i in range(4)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert answers[-1].headers["content-type"] == "application/problem+json"


async def test_a_keys_limit_holds_across_two_processes_of_ingest(settings: IngestSettings) -> None:
    limited = settings.model_copy(update={"rate_limit_per_minute": 4})
    async with running(limited) as one, running(limited) as other:
        answers = [
            await client.post("/v1/events", json=event("engagement.recorded", f"s-{i}", DATA))
            for i, client in enumerate([one, other] * 3)
        ]
        ready = (await one.get("/readyz")).json()
    assert [a.status_code for a in answers] == [202, 202, 202, 202, 429, 429]
    assert ready["rate_limits"] == "shared in Redis by every process of this service"


async def test_unknown_keys_are_throttled_by_address(settings: IngestSettings) -> None:
    limited = settings.model_copy(update={"failed_auth_per_minute": 3})
    async with running(limited) as client:
        wrong = {"Authorization": "Bearer not-a-key-coprod-knows"}
        answers = [(await client.get("/v1/events", headers=wrong)).status_code for _ in range(4)]
        assert (await client.get("/v1/events")).status_code == 200, "a known key from the same address still goes"
    assert answers == [401, 401, 401, 429]


async def test_without_redis_the_limit_is_counted_in_the_process_and_says_so() -> None:
    throttle = Throttle("redis://127.0.0.1:1/0", "nowhere:", "test", per_minute=2, failed_per_minute=2)
    await throttle.request("k")
    await throttle.request("k")
    assert throttle.where.startswith("counted in this process alone")
    with pytest.raises(RateLimited):
        await throttle.request("k")
