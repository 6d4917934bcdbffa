"""Each fault test runs its own `coprod up`: its own ports and embedded Redis (which it may kill), on SQLite or on
the PostgreSQL the tests are pointed at, in a schema of its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from coprod_up import CoprodUp, up_env

from shared.db import drop_schema


@pytest.fixture
def up_environment(postgres_url: str | None, tmp_path: Path) -> Iterator[dict[str, str]]:
    schema = f"faults_{uuid.uuid4().hex[:12]}" if postgres_url else None
    yield up_env(tmp_path / "state", postgres_url, schema)
    if postgres_url and schema:
        asyncio.run(drop_schema(postgres_url, schema))


@pytest.fixture
def up(up_environment: dict[str, str]) -> Iterator[CoprodUp]:
    running = CoprodUp(up_environment).start()
    yield running
    running.stop()
