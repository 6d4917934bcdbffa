"""Running ingest in-process and reading back what reached Redis."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx
from redis.asyncio import Redis

from services.ingest.app import create_app
from services.ingest.pseudonyms import PEOPLE_FIELDS, people_in
from services.ingest.settings import IngestSettings
from shared.events import cloud_event
from shared.streams import all_streams, decode_entry

WRITER = "writer-key-0123456789"
READER = "reader-key-0123456789"
CMS_ONLY = "cms-only-key-0123456789"
INTERNAL = "internal-key-0123456789"
ADMIN = "admin-key-0123456789"
WEB = "web-key-0123456789"
API_KEYS = [
    {"name": "coprod-internal", "key": INTERNAL, "scopes": ["write", "read"]},
    {"name": "coprod-web", "key": WEB, "sources": ["urn:coprod:*"], "scopes": ["write", "read"]},
    {"name": "admin", "key": ADMIN, "scopes": ["write", "read", "admin"]},
    {"name": "writer", "key": WRITER, "scopes": ["write", "read"]},
    {"name": "reader", "key": READER, "scopes": ["read"]},
    {"name": "cms", "key": CMS_ONLY, "sources": ["urn:cms:*"], "types": ["engagement.*"], "scopes": ["write"]},
]


TOKEN = re.compile(r"p_[0-9a-f]{32}")


def people_blanked(raw: dict[str, Any]) -> dict[str, Any]:
    """The event with each person it names blanked out: what was sent and what was stored then compare equal."""
    data = dict(raw.get("data") or {})
    for field in PEOPLE_FIELDS.get(raw.get("type", ""), ()):
        if isinstance(data.get(field), list):
            data[field] = ["someone"] * len(data[field])
        elif field in data:
            data[field] = "someone"
    return {**raw, "data": data}


def tokens_in(raw: dict[str, Any]) -> list[str]:
    return [person for person in people_in(raw) if TOKEN.fullmatch(person)]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@contextlib.asynccontextmanager
async def running(settings: IngestSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest", headers=bearer(WRITER)) as client:
            yield client


def event(event_type: str, event_id: str, data: dict[str, Any], source: str = "urn:cms:north") -> dict[str, Any]:
    return cloud_event(event_type, data, id=event_id, source=source, time="2025-06-03T10:00:00+01:00")


async def published(redis_url: str, prefix: str) -> list[dict[str, Any]]:
    """Every event in every stream under `prefix`, in position order."""
    client = Redis.from_url(redis_url)
    try:
        found = [event for stream in all_streams(prefix) for event in await stream_messages(client, stream)]
        return sorted(found, key=lambda event: int(event["position"]))
    finally:
        await client.aclose()


async def stream_messages(client: Redis, stream: str) -> list[dict[str, Any]]:
    """Each event of one stream, in stream order."""
    entries: list[Any] = await client.xrange(stream) or []
    return [decode_entry(fields) for _, fields in entries]


async def wait_for_published(redis_url: str, prefix: str, count: int, timeout: float = 10) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        found = await published(redis_url, prefix)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.05)


def positions(messages: Iterable[dict[str, Any]]) -> list[int]:
    return [int(body["position"]) for body in messages]
