"""One place decides what the tests run against.

`COPROD_TEST_REDIS_URL` / `COPROD_TEST_DATABASE_URL` when set (CI points them at the machine's Redis and
PostgreSQL); otherwise testcontainers when a Docker engine answers; otherwise the embedded Redis and
SQLite. Every test gets its own stream prefix and its own database schema or file.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from coprod.embedded_redis import RedisServer
from shared.db import drop_schema


def _docker_answers() -> bool:
    with contextlib.suppress(Exception):
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=2).ping()
        return True
    return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Redis the tests share (each test keeps to its own key prefix)."""
    if url := os.environ.get("COPROD_TEST_REDIS_URL"):
        yield url
    elif _docker_answers():
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7") as container:
            host, port = container.get_container_host_ip(), container.get_exposed_port(6379)
            yield f"redis://{host}:{port}/0"
    else:
        server = RedisServer(tmp_path_factory.mktemp("redis"))
        server.start()
        yield server.url
        server.stop()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis server of this test's own, for tests that stop, kill or wipe it."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop(kill=True)


@pytest.fixture
def stream_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """The PostgreSQL server the tests share, or None to run on SQLite."""
    if url := os.environ.get("COPROD_TEST_DATABASE_URL"):
        yield url
    elif os.environ.get("COPROD_TEST_SQLITE_ONLY") != "1" and _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver="asyncpg") as container:
            yield container.get_connection_url()
    else:
        yield None


@dataclass(frozen=True)
class Database:
    """Where one test keeps its tables: a URL and, on PostgreSQL, a schema of its own."""

    url: str
    schema: str | None

    @property
    def env(self) -> dict[str, str]:
        env = {"COPROD_DATABASE_URL": self.url}
        if self.schema:
            env["COPROD_DATABASE_SCHEMA"] = self.schema
        return env


@pytest.fixture
async def database(postgres_url: str | None, tmp_path: Path) -> AsyncIterator[Database]:
    if postgres_url is None:
        yield Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}", None)
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = create_async_engine(postgres_url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()
    yield Database(postgres_url, schema)
    await drop_schema(postgres_url, schema)
