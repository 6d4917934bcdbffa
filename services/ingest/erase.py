"""`erase UPSTREAM_ID`: forget a person from the command line, on the event store the running system reads."""

from __future__ import annotations

import getpass

from shared.db import make_engine

from . import people
from .migrate import upgrade
from .settings import IngestSettings


async def erase_person(upstream_id: str, settings: IngestSettings) -> int:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        await upgrade(engine, settings.database_schema)
        async with engine.begin() as conn:
            held = await people.erase(conn, [upstream_id], by=f"coprod erase, run by {getpass.getuser()}")
        await people.scrub(engine)
    finally:
        await engine.dispose()
    if held:
        print("erased: coprod's record can no longer be tied to this person; the erasure is recorded")
    else:
        print("coprod held no one with this id (never sent, or erased already); the request is recorded")
    return 0
