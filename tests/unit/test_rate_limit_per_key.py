import pytest

from shared.ratelimit import RateLimited, Throttle


async def test_each_key_has_its_own_count() -> None:
    throttle = Throttle("redis://127.0.0.1:1/0", "unit:", "test", per_minute=2, failed_per_minute=1)
    await throttle.request("a")
    await throttle.request("a")
    with pytest.raises(RateLimited) as limited:
        await throttle.request("a")
    assert 1 <= limited.value.retry_after <= 60
    await throttle.request("b")
