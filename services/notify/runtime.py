"""What the HTTP handlers need at run time, built once by the app's lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from .catch_up import CatchUp
from .clock import Clock
from .contacts import Sealer
from .dispatcher import Dispatcher
from .links import Links
from .relay import OutboxRelay
from .schedule import Timetable


@dataclass
class Runtime:
    engine: AsyncEngine
    sealer: Sealer
    clock: Clock
    dispatcher: Dispatcher
    relay: OutboxRelay
    redis: Redis
    catch_up: CatchUp
    links: Links
    timetable: Timetable

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        detail: dict[str, Any] = {"status": "ready"}
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(sa.text("SELECT 1")), timeout=3)
            detail["store"] = "answers"
        except Exception as error:
            return False, {"status": "unavailable", "store": f"does not answer: {type(error).__name__}"}
        try:
            await asyncio.wait_for(self.redis.ping(), timeout=1)
            detail["redis"] = "answers"
        except Exception as error:
            detail |= {"status": "degraded", "redis": f"does not answer: {type(error).__name__}"}
        detail["ingest"] = "answers" if self.relay.last_error is None else f"not reached: {self.relay.last_error}"
        return True, detail | self._event_store()

    def _event_store(self) -> dict[str, Any]:
        """How far behind the event store notify is: what Redis lost is read from there."""
        lag = self.catch_up.lag
        if lag is None:
            why = self.catch_up.last_error or "not asked yet"
            return {"position": self.catch_up.position, "head": None, "lag": None, "behind": f"unknown ({why})"}
        behind = "up to date" if lag == 0 else f"{lag} events behind the event store"
        return {"position": self.catch_up.position, "head": self.catch_up.head, "lag": lag, "behind": behind}


def runtime(request: Request) -> Runtime:
    found: Runtime = request.app.state.notify
    return found
