"""The three services on real ports, in a thread of their own, sharing one Redis prefix and database (a schema
or file each): what schemathesis, which speaks plain blocking HTTP, is pointed at."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.fernet import Fernet
from fastapi import FastAPI

from coprod.environment import free_port
from services.ingest.app import create_app as create_ingest
from services.ingest.settings import IngestSettings
from services.notify.app import create_app as create_notify
from services.notify.settings import NotifySettings
from services.projections.app import create_app as create_projections
from services.projections.settings import ProjectionsSettings

KEY = "schemathesis-key-0123456789"
KEYS = [{"name": "all", "key": KEY, "scopes": ["write", "read", "admin"]}]


def _apps(database_url: str, schemas: dict[str, str | None], redis_url: str, prefix: str, data_dir: Path,
          ports: dict[str, int]) -> dict[str, FastAPI]:
    def common(service: str) -> dict[str, Any]:
        return {"database_url": database_url, "database_schema": schemas[service], "redis_url": redis_url,
                "stream_prefix": prefix, "api_keys": KEYS, "data_dir": data_dir, "service_api_key": KEY,
                "ingest_url": f"http://127.0.0.1:{ports['ingest']}"}

    return {
        "ingest": create_ingest(IngestSettings.model_validate({**common("ingest"), "relay_idle_seconds": 0.05})),
        "projections": create_projections(ProjectionsSettings.model_validate(common("projections"))),
        "notify": create_notify(NotifySettings.model_validate({
            **common("notify"), "smtp_url": "smtp://127.0.0.1:9", "contact_key": Fernet.generate_key().decode(),
            "webhook_secret": "secret",
        })),
    }


@contextlib.contextmanager
def three_services(database_url: str, schemas: dict[str, str | None], redis_url: str, prefix: str,
                   data_dir: Path) -> Iterator[dict[str, str]]:
    """Each service's base URL while they run."""
    ports = {name: free_port() for name in ("ingest", "projections", "notify")}
    apps = _apps(database_url, schemas, redis_url, prefix, data_dir, ports)
    servers = [uvicorn.Server(uvicorn.Config(apps[n], host="127.0.0.1", port=ports[n], log_level="warning"))
               for n in apps]
    thread = threading.Thread(target=lambda: asyncio.run(_serve(servers)), daemon=True)
    thread.start()
    while not all(server.started for server in servers):
        assert thread.is_alive(), "the services stopped while starting"
        thread.join(0.05)
    try:
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        for server in servers:
            server.should_exit = True
        thread.join(30)


async def _serve(servers: list[uvicorn.Server]) -> None:
    """One after the other: alembic's migration context is one per process, so starts must not overlap."""
    running = []
    for server in servers:
        running.append(asyncio.create_task(server.serve()))
        while not server.started and not running[-1].done():
            await asyncio.sleep(0.05)
    await asyncio.gather(*running)
