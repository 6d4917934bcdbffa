"""`import FILE.csv`: a spreadsheet into the event store, all rows or none (unless --skip-bad), idempotently."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track

from shared.db import make_engine
from shared.events import EVENT_TYPES
from shared.spreadsheet import numbered_csv_rows, numbered_xlsx_rows

from .checks import problems_of, to_new_event
from .csv_rows import BadRow, row_to_event
from .examples import EMITTED_BY_COPROD
from .migrate import upgrade
from .pseudonyms import Door
from .settings import IngestSettings
from .store import Conflict, EventStore, NewEvent

IMPORTABLE = [name for name in EVENT_TYPES if name not in EMITTED_BY_COPROD]


@dataclass
class ReadFile:
    events: list[NewEvent] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    raws: list[dict[str, Any]] = field(default_factory=list)
    bad: list[tuple[int, str, str]] = field(default_factory=list)


def read_csv(path: Path, event_type: str, source: str, console: Console | None = None) -> ReadFile:
    rows = numbered_xlsx_rows(path.read_bytes()) if path.suffix.lower() == ".xlsx" else _numbered_rows(path)
    return checked_rows(track(rows, description="Checking rows", console=console, disable=console is None),
                        event_type, source)


def checked_rows(rows: Iterable[tuple[int, Mapping[str, str | None]]], event_type: str, source: str) -> ReadFile:
    """Each row to an event by the import's rules; every problem by line and field (the browser's upload too)."""
    result = ReadFile()
    for line, row in rows:
        try:
            raw = row_to_event(row, event_type, source)
        except BadRow as bad:
            result.bad.extend((line, name, message) for name, message in bad.problems)
            continue
        event, problems = problems_of(raw)
        result.bad.extend((line, problem["field"], problem["message"]) for problem in problems)
        if event is not None and not problems:
            result.events.append(to_new_event(raw, event))
            result.lines.append(line)
            result.raws.append(raw)
    return result


async def import_file(path: Path, event_type: str, source: str, skip_bad: bool, settings: IngestSettings) -> int:
    console = Console(stderr=True)
    if event_type not in IMPORTABLE:
        console.print(f"[red]coprod cannot import {event_type!r}; importable types: {', '.join(IMPORTABLE)}")
        return 2
    read = read_csv(path, event_type, source, console)
    for line, name, message in read.bad:
        console.print(f"line {line}: {name}: {message}")
    if read.bad and not skip_bad:
        bad_rows = len({line for line, _, _ in read.bad})
        console.print(f"[red]{bad_rows} bad row(s): nothing was stored (use --skip-bad to store the good rows)")
        return 1
    return await _store(read, settings, console)


async def _store(read: ReadFile, settings: IngestSettings, console: Console) -> int:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        await upgrade(engine, settings.database_schema)
        store = EventStore(engine)
        outcomes = await Door(store).append(read.events) if read.events else []
        await store.close()
    except Conflict as conflict:
        console.print(f"[red]line {read.lines[conflict.index]}: {conflict}; nothing was stored")
        return 1
    finally:
        await engine.dispose()
    accepted = sum(outcome.status == "accepted" for outcome in outcomes)
    console.print(f"{accepted} event(s) stored, {len(outcomes) - accepted} already there, {len(read.bad)} problem(s)")
    return 0


def _numbered_rows(path: Path) -> list[tuple[int, dict[str, str | None]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return numbered_csv_rows(handle)
