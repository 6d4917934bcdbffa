from ingest_helpers import event, running

from services.ingest.examples import EXAMPLES
from services.ingest.settings import IngestSettings


async def test_a_key_above_its_rate_is_told_when_to_come_back(settings: IngestSettings) -> None:
    limited = settings.model_copy(update={"rate_limit_per_minute": 3})
    async with running(limited) as client:
        data = EXAMPLES["engagement.recorded"]
        answers = [await client.post("/v1/events", json=event("engagement.recorded", f"r-{i}", data)) for i in range(4)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
