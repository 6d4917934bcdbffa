"""What the HTTP handlers need at run time, built once by the app's lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from redis.asyncio import Redis

from .content import Limits
from .group_commit import GroupCommitter
from .relay import Relay
from .store import EventStore


@dataclass
class Runtime:
    store: EventStore
    committer: GroupCommitter
    relay: Relay
    redis: Redis
    limits: Limits

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        try:
            head = await asyncio.wait_for(self.store.head(), timeout=3)
        except Exception as error:
            return False, {"status": "unavailable", "event_store": f"does not answer: {error}"}
        redis_answers = self.relay.redis_answers and await _answers(self.redis)
        published = self.relay.published
        detail: dict[str, Any] = {
            "status": "ready" if redis_answers else "degraded",
            "event_store": "answers",
            "redis": "answers" if redis_answers else f"does not answer: {self.relay.last_error or 'no reply'}",
            "head": head,
            "published": published,
            "unpublished": head - published if published is not None else None,
        }
        return True, detail


async def _answers(redis: Redis) -> bool:
    try:
        return bool(await asyncio.wait_for(redis.ping(), timeout=1))
    except Exception:
        return False


async def runtime(request: Request) -> Runtime:
    found: Runtime = request.app.state.ingest
    return found

