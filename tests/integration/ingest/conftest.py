from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import httpx
import pytest
from ingest_helpers import API_KEYS, INTERNAL, WEB, running

from services.ingest.settings import IngestSettings


class Database(Protocol):
    url: str
    schema: str | None


def make_settings(
    database: Database, redis_url: str, prefix: str, data_dir: Path, **overrides: object
) -> IngestSettings:
    values: dict[str, object] = {
        "database_url": database.url,
        "database_schema": database.schema,
        "redis_url": redis_url,
        "stream_prefix": prefix,
        "data_dir": data_dir,
        "api_keys": API_KEYS,
        "service_api_key": INTERNAL,
        "web_api_key": WEB,
        "relay_idle_seconds": 0.05,
        "relay_max_backoff_seconds": 0.3,
        **overrides,
    }
    return IngestSettings.model_validate(values)


@pytest.fixture
def settings(database: Database, redis_url: str, stream_prefix: str, tmp_path: Path) -> IngestSettings:
    return make_settings(database, redis_url, stream_prefix, tmp_path)


@pytest.fixture
async def client(settings: IngestSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(settings) as client:
        yield client
