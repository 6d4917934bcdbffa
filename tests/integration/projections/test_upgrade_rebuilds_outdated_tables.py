"""After an upgrade, tables built by an older read-model version are rebuilt on start: no 500s meanwhile, once."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from alembic.config import Config
from projection_helpers import (
    WRITER,
    Database,
    env_of,
    free_port,
    ingest_settings,
    many,
    post,
    projections_settings,
    serving,
    store,
)
from sqlalchemy import Connection, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from waiting import eventually_async

from services.ingest.app import create_app as create_ingest
from services.projections import migrations
from services.projections.app import create_app, open_engine
from services.projections.migrate import upgrade
from services.projections.settings import ProjectionsSettings
from services.projections.state import create_generation, generation_progress, generations, progress_table
from services.projections.tables import ACTIVITY_TYPES, READ_MODEL_VERSION, read_model
from services.projections.views_series import GROUPINGS
from shared.db import ensure_schema

RAWS = many(2000, seed=13)
YEAR = {"from": "2025-04-01", "to": "2026-03-31"}
ASKED: list[tuple[str, dict[str, str]]] = [("summary", {})] + [("coproduction", {"group_by": g}) for g in GROUPINGS] + [
    (path, {}) for path in ("commitments", "training", "feedback", "opportunities")
]
REBUILDING = "The figures are being rebuilt after an upgrade: "
REBUILT = "The figures are rebuilt: generation 2"
HOW_FAR = (
    REBUILDING + r"(\d+% done, about \d+ s left|just starting|waiting for the event store \(ingest\) to answer)"
    r"\. Try again shortly\.|The figures have just been rebuilt after an upgrade\. Try again\."
)


async def test_tables_of_an_older_version_are_rebuilt_on_start_and_nothing_answers_500_meanwhile(
    database: Database, redis_url: str, stream_prefix: str, tmp_path: Path
) -> None:
    ingest_port = free_port()
    ingest = create_ingest(ingest_settings(database, redis_url, stream_prefix, tmp_path))
    settings = _settings(database, redis_url, stream_prefix, ingest_port)
    async with serving(ingest, ingest_port) as ingest_url, _client(create_app(settings)) as client:
        await post(ingest_url, RAWS)
        await eventually_async(lambda: _ready_at(client, 1), "the live projection to catch up")
        expected = {n: (await _ask(client, n))[1] for n in range(len(ASKED))}
    async with store(database) as engine:
        await _as_if_built_by_version_1(engine)
        async with _client(create_app(settings)) as client:  # ingest is not up yet: the rebuild waits for it
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["rebuilding"].startswith(REBUILDING), ready.text
            await eventually_async(lambda: _says(client, "waiting for the event store (ingest) to answer"), "the wait")
            while_down = [await _ask(client, n) for n in range(len(ASKED))]
            meanwhile = list(while_down)
            async with serving(create_ingest(ingest_settings(database, redis_url, stream_prefix, tmp_path)),
                               ingest_port):
                deadline = time.monotonic() + 60
                while (await client.get("/readyz")).status_code != 200:
                    assert time.monotonic() < deadline, "the rebuild did not finish"
                    meanwhile += [await _ask(client, n) for n in range(len(ASKED))]
                assert (await client.get("/readyz")).json()["generation"] == 2
                after = {n: await _ask(client, n) for n in range(len(ASKED))}
        assert await generations(engine) == {2}
        assert (await generation_progress(engine, 2)).version == READ_MODEL_VERSION
    for status, body, n in meanwhile:  # the old figures where the old tables have them, else a plain 503
        assert status in (200, 503), (ASKED[n], status, body)
        assert body == expected[n] if status == 200 else re.fullmatch(HOW_FAR, body["detail"]), (ASKED[n], body)
    if engine.dialect.name == "postgresql":  # SQLite reads activities, not the rollups that gained columns
        by_type = ASKED.index(("coproduction", {"group_by": "activity_type"}))
        assert while_down[by_type][0] == 503, [(ASKED[n], s) for s, _, n in while_down]
    assert after == {n: (200, expected[n], n) for n in range(len(ASKED))}


async def test_two_workers_starting_together_rebuild_once(
    database: Database, redis_url: str, stream_prefix: str, tmp_path: Path
) -> None:
    ingest_port = free_port()
    settings = _settings(database, redis_url, stream_prefix, ingest_port)
    ingest = create_ingest(ingest_settings(database, redis_url, stream_prefix, tmp_path))
    async with serving(ingest, ingest_port) as url:
        await post(url, RAWS)
        async with store(database) as engine:
            await _as_if_built_by_version_1(engine, without_new_columns=False)  # the workers apply to it meanwhile
            ports = [free_port(), free_port()]
            logs = [tmp_path / f"worker-{port}.log" for port in ports]
            workers = [
                subprocess.Popen(
                    [sys.executable, "-m", "services.projections"], stderr=log.open("wb"),
                    env={**os.environ, **env_of(settings, port)},
                )
                for port, log in zip(ports, logs, strict=True)
            ]
            try:
                async with httpx.AsyncClient(headers=_READ) as client:
                    for port in ports:
                        ready = functools.partial(_ready_at, client, 2, f"http://127.0.0.1:{port}")
                        await eventually_async(ready, "both workers to serve the rebuilt figures", timeout=60)
                await eventually_async(lambda: _said(logs, REBUILT), "the rebuild to finish", timeout=60)
                assert await generations(engine) == {2}
            finally:
                for worker in workers:
                    worker.terminate()
                    worker.wait(30)
    said = "".join(log.read_text() for log in logs)
    assert said.count(REBUILT) == 1, said
    assert (
        "The figures' tables were built by an older version (1); rebuilding them from the event store "
        f"(version {READ_MODEL_VERSION}). "
        "The old figures are served until then."
    ) in said


async def test_generations_built_before_versions_were_recorded_count_as_version_1(database: Database) -> None:
    engine = open_engine(projections_settings(database, "redis://unused", "unused:"))
    try:
        await ensure_schema(engine, database.schema)
        async with engine.begin() as conn:
            await conn.run_sync(_migrate_to, "0001")
            await conn.execute(text("INSERT INTO projections_progress (generation, watermark, head) VALUES (1, 5, 7)"))
        await upgrade(engine, database.schema)
        assert (await generation_progress(engine, 1)).version == 1
        await create_generation(engine, 2)
        assert (await generation_progress(engine, 2)).version == READ_MODEL_VERSION
    finally:
        await engine.dispose()


def _settings(database: Database, redis_url: str, prefix: str, ingest_port: int) -> ProjectionsSettings:
    ingest_url = f"http://127.0.0.1:{ingest_port}"
    return projections_settings(database, redis_url, prefix, ingest_url, live_generation_ttl_seconds=0.05)


async def _as_if_built_by_version_1(engine: AsyncEngine, without_new_columns: bool = True) -> None:
    """Generation 1 recorded at version 1, its rollups without the columns version 2 added.

    On PostgreSQL its triggers still fill those columns, so nothing may be applied to it after they go.
    """
    model = read_model(1)
    async with engine.begin() as conn:
        await conn.execute(update(progress_table).where(progress_table.c.generation == 1).values(read_model_version=1))
        for rollup in (model.activity_days, model.activity_months) if without_new_columns else ():
            for kind in ACTIVITY_TYPES:
                await conn.execute(text(f"ALTER TABLE {rollup.name} DROP COLUMN coproduced_type_{kind}"))


async def _said(logs: list[Path], words: str) -> bool:
    return any(words in log.read_text() for log in logs)


def _migrate_to(conn: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = conn
    config.attributes["version_table"] = "alembic_version_projections"
    command.upgrade(config, revision)


@contextlib.asynccontextmanager
async def _client(app: Any) -> Any:
    async with serving(app) as url, httpx.AsyncClient(base_url=url, headers=_READ) as client:
        yield client


_READ = {"Authorization": f"Bearer {WRITER}"}


async def _ready_at(client: httpx.AsyncClient, generation: int, base: str = "") -> bool:
    try:
        response = await client.get(f"{base}/readyz")
    except httpx.TransportError:  # not listening yet
        return False
    body = response.json()
    return response.status_code == 200 and body.get("generation") == generation and body.get("position") == len(RAWS)


async def _says(client: httpx.AsyncClient, words: str) -> bool:
    return words in (await client.get("/readyz")).json().get("rebuilding", "")


async def _ask(client: httpx.AsyncClient, n: int) -> tuple[int, Any, int]:
    path, params = ASKED[n]
    response = await client.get(f"/v1/kpis/{path}", params={**YEAR, **params})
    body = response.json()
    if response.status_code == 200:
        body.pop("as_of", None)
    elif response.status_code == 503:
        assert int(response.headers["Retry-After"]) >= 1
    return response.status_code, body, n
