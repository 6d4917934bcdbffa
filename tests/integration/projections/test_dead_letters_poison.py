"""A poison event goes to the dead letters with its error while the rest flow; after a fix it is replayed."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx
from projection_helpers import (
    Database,
    env_of,
    event,
    free_port,
    projections_settings,
    publish,
    serving,
    store,
    stored,
    story,
)
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.projections.app import create_app
from services.projections.tables import read_model

FACTS = read_model(1).facts.name
REFUSE = "this projection cannot take activity poison yet"
POISON_SQLITE = [
    f"CREATE TRIGGER poison BEFORE INSERT ON {FACTS} WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
]
POISON_POSTGRES = [
    "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF NEW.key = 'poison' THEN RAISE EXCEPTION '{REFUSE}'; END IF; RETURN NEW; END $$",
    f"CREATE TRIGGER poison BEFORE INSERT ON {FACTS} FOR EACH ROW EXECUTE FUNCTION poison()",
]
ADMIN = {"Authorization": "Bearer admin-key-0123456789"}
RECORDED = {"occurred_on": "2025-05-01", "activity_type": "survey", "level": "informing", "mode": "written"}


async def test_a_poison_event_is_dead_lettered_listed_and_replayed_after_a_fix(
    own_redis: RedisServer, stream_prefix: str, database: Database
) -> None:
    raws = story()
    raws.insert(5, event("engagement.recorded", {"activity_id": "poison", **RECORDED}))
    async with store(database) as engine:
        await _break(engine)
        await publish(own_redis.url, stream_prefix, stored(raws))
        settings = projections_settings(database, own_redis.url, stream_prefix, max_deliveries=2, claim_idle_ms=200)
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
            letters = await eventually_async(lambda: _dead_letters(client), "the poison event in the dead letters")
            assert await _facts(engine) == len(raws) - 1
            assert (await client.get("/v1/dead-letters")).status_code == 401
            sender = {"Authorization": "Bearer sender-key-0123456789"}
            assert (await client.get("/v1/dead-letters", headers=sender)).status_code == 403
        assert [(letter["position"], REFUSE in letter["error"]) for letter in letters] == [(6, True)]
        await _fix(engine)
        replayed = _replay_dead_letters(env_of(settings, free_port()))
        assert replayed.returncode == 0 and "Replayed 1" in replayed.stdout, replayed.stdout + replayed.stderr
        assert await _facts(engine) == len(raws)


async def _dead_letters(client: httpx.AsyncClient) -> list[dict[str, Any]] | None:
    body: dict[str, Any] = (await client.get("/v1/dead-letters", headers=ADMIN)).json()
    return body["dead_letters"] or None


async def _facts(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(read_model(1).facts)) or 0)


async def _break(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for statement in POISON_POSTGRES if engine.dialect.name == "postgresql" else POISON_SQLITE:
            await conn.execute(text(statement))


async def _fix(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TRIGGER poison{' ON ' + FACTS if engine.dialect.name == 'postgresql' else ''}"))


def _replay_dead_letters(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "services.projections", "replay-dead-letters"]
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
