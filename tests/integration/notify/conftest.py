from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import pytest
from notify_doubles import HttpDouble, SmtpSink, start_smtp
from notify_harness import Notify, notify


class Database(Protocol):
    url: str
    schema: str | None


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    controller = start_smtp(sink)
    yield sink
    controller.stop()


@pytest.fixture
def http() -> Iterator[HttpDouble]:
    with HttpDouble() as double:
        yield double


@pytest.fixture
async def system(database: Database, smtp: SmtpSink, http: HttpDouble) -> AsyncIterator[Notify]:
    async with notify(
        database.url, database.schema, smtp.url, sms_gateway_url=http.url("/sms"), sms_gateway_token="gateway-token"
    ) as running:
        yield running
