import pytest

from services.ingest.ratelimit import RateLimited, RateLimiter


def test_each_key_has_its_own_bucket() -> None:
    limiter = RateLimiter(per_minute=2)
    limiter.take("a")
    limiter.take("a")
    with pytest.raises(RateLimited) as limited:
        limiter.take("a")
    assert limited.value.retry_after == 30
    limiter.take("b")
