"""A real ingest on a port of its own, for tests of what notify sends it and reads from it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from cryptography.fernet import Fernet
from notify_doubles import SmtpSink

from coprod.environment import free_port
from services.ingest.app import create_app as create_ingest
from services.ingest.settings import IngestSettings
from services.notify.settings import NotifySettings

KEY = "notify-test-key-0123456789"
KEYS = [{"name": "all", "key": KEY, "scopes": ["write", "read", "admin"]}]
AUTH = {"Authorization": f"Bearer {KEY}"}
T = TypeVar("T")


@contextlib.asynccontextmanager
async def ingest_on_a_port(database: Any, redis_url: str, prefix: str, data_dir: Path) -> AsyncIterator[str]:
    settings = IngestSettings.model_validate(
        {
            "database_url": database.url,
            "database_schema": database.schema,
            "redis_url": redis_url,
            "stream_prefix": prefix,
            "data_dir": data_dir,
            "api_keys": KEYS,
            "service_api_key": KEY,
            "relay_idle_seconds": 0.05,
        }
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_ingest(settings), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


def notify_settings(
    database: Any, redis_url: str, prefix: str, ingest_url: str, smtp: SmtpSink, data_dir: Path
) -> NotifySettings:
    return NotifySettings.model_validate(
        {
            "database_url": database.url,
            "database_schema": database.schema,
            "redis_url": redis_url,
            "stream_prefix": prefix,
            "api_keys": KEYS,
            "smtp_url": smtp.url,
            "ingest_url": ingest_url,
            "service_api_key": KEY,
            "contact_key": Fernet.generate_key().decode(),
            "webhook_secret": "secret",
            "data_dir": data_dir,
            "dispatch_idle_seconds": 0.1,
            "catch_up_seconds": 0.2,
        }
    )
