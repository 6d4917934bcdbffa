"""Two coprod installations in two schemas of one PostgreSQL: one's appends never wait for the other's."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from ingest_helpers import event
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.ingest.examples import EXAMPLES
from services.ingest.store import _APPEND_LOCK
from shared.db import drop_schema


async def test_an_append_held_in_another_schema_never_stops_this_one(client: httpx.AsyncClient, database: Any) -> None:
    if database.schema is None:
        pytest.skip("advisory locks are PostgreSQL's")
    other = f"t_{uuid.uuid4().hex[:16]}"
    engine = create_async_engine(database.url, connect_args={"server_settings": {"search_path": other}})
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{other}"'))
            await conn.execute(text(_APPEND_LOCK.take("pg_advisory_lock")))  # the other installation mid-append
            held = f"SELECT count(*) FROM pg_locks locks WHERE {_APPEND_LOCK.held_in('locks')}"
            assert (await conn.execute(text(held))).scalar_one() == 1
            sent = client.post("/v1/events", json=event("engagement.recorded", "a-1", EXAMPLES["engagement.recorded"]))
            answer = await asyncio.wait_for(sent, timeout=60)
            assert answer.status_code == 202, answer.text
    finally:
        await engine.dispose()
        await drop_schema(database.url, other)
