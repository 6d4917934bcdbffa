"""Projections processes started together on a fresh database: all of them come up and answer ready."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from projection_helpers import Database, env_of, free_port, projections_settings

from shared.db import drop_schema

PROCESSES = 3


@pytest.fixture
async def fresh(database: Database) -> AsyncIterator[Database]:
    """On PostgreSQL, a schema nobody has created yet; on SQLite, a file nobody has made yet."""
    if database.schema is None:
        yield database
        return
    fresh = replace(database, schema=f"t_{uuid.uuid4().hex[:16]}")  # type: ignore[type-var]
    yield fresh
    await drop_schema(database.url, fresh.schema)


async def test_processes_started_at_once_on_a_fresh_database_all_become_ready(
    fresh: Database, redis_url: str, stream_prefix: str
) -> None:
    settings = projections_settings(fresh, redis_url, stream_prefix)
    ports = [free_port() for _ in range(PROCESSES)]
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.projections", env={**os.environ, **env_of(settings, port)},
            stderr=asyncio.subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        async with httpx.AsyncClient() as client:
            for port, worker in zip(ports, workers, strict=True):
                await _ready(client, port, worker)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.terminate()
            await worker.wait()


async def _ready(client: httpx.AsyncClient, port: int, worker: asyncio.subprocess.Process) -> None:
    for _ in range(4000):
        if worker.returncode is not None:
            stderr = await worker.stderr.read() if worker.stderr else b""
            pytest.fail(f"a projections process stopped while starting: {stderr.decode()[-3000:]}")
        try:
            if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)
    pytest.fail("a projections process did not become ready")
