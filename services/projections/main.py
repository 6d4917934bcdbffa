"""`python -m services.projections [serve | rebuild | replay-dead-letters]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from shared.cli import PlainParser
from shared.logs import configure_logging

from .runtime import tune_garbage_collector
from .settings import ProjectionsSettings, get_settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from .set_aside import SetAside

BUSY = 75  # EX_TEMPFAIL: another rebuild is running; try again later


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    configure_logging("projections", settings.log_level, settings.log_format)
    tune_garbage_collector()
    if args.command == "rebuild":
        return asyncio.run(_rebuild(settings))
    if args.command == "replay-dead-letters":
        return asyncio.run(_replay(settings))
    return _serve(settings)


def _serve(settings: ProjectionsSettings) -> int:
    from shared.serving import serve

    from .app import create_app

    serve("projections", create_app(settings), settings, settings.port)
    return 0


async def _rebuild(settings: ProjectionsSettings) -> int:
    from .app import open_store
    from .event_log import IngestEventLog
    from .rebuild import rebuild
    from .rebuild_lock import RebuildRunning

    engine, _ = await open_store(settings)
    key = settings.service_api_key.get_secret_value() if settings.service_api_key else None
    events = IngestEventLog(settings.ingest_url, key)
    try:
        generation = await rebuild(engine, events, settings)
        set_aside = await _set_aside(engine, generation)
    except RebuildRunning as running:
        print(running, file=sys.stderr)
        return BUSY
    finally:
        await events.aclose()
        await engine.dispose()
    print(f"Rebuilt: generation {generation} is live.")
    if set_aside:
        print(f"Set aside {_events(len(set_aside))} that cannot be applied (the figures go on without them):")
        print("\n".join(f"  {event}" for event in set_aside))
    return 0


def _events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"


async def _set_aside(engine: AsyncEngine, generation: int) -> list[SetAside]:
    from .set_aside import listed
    from .tables import read_model

    async with engine.connect() as conn:
        return await listed(conn, read_model(generation), limit=100_000)


async def _replay(settings: ProjectionsSettings) -> int:
    from redis.asyncio import Redis

    from shared.consuming import replay_dead_letters

    from .app import consumer_config, open_store
    from .apply import entry_fact
    from .projector import Projector

    engine, live = await open_store(settings)
    redis = Redis.from_url(settings.redis_url)
    try:
        dead_letters = consumer_config(settings).dead_letters
        replayed, failing = await replay_dead_letters(redis, dead_letters, Projector(engine, live).handle, entry_fact)
    finally:
        await redis.aclose()
        await engine.dispose()
    print(f"Replayed {replayed} dead letters; {failing} still fail and stay in the dead letters.")
    return 0 if failing == 0 else 1


def _parser() -> argparse.ArgumentParser:
    parser = PlainParser(prog="coprod projections", description="coprod's KPI projections")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="consume the event streams and serve the figures (the default)")
    commands.add_parser("rebuild", help="replay the event store into fresh tables and swap them in once caught up")
    commands.add_parser("replay-dead-letters", help="apply the dead letters again, after a fix")
    return parser
