"""`python -m services.ingest [serve | import FILE.csv --type T --source S [--skip-bad] | erase ID | docs [DIR]]`."""

from __future__ import annotations

import argparse
import asyncio
import gc
from collections.abc import Sequence
from pathlib import Path

from shared.cli import PlainParser

from .settings import get_settings


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "import":
        return _import(args)
    if args.command == "erase":
        from .erase import erase_person

        return asyncio.run(erase_person(args.upstream_id, get_settings()))
    if args.command == "docs":
        from .docs import write_docs

        for written in write_docs(Path(args.directory)):
            print(written)
        return 0
    return _serve()


def _serve() -> int:
    from shared.serving import serve

    from .app import create_app

    settings = get_settings()
    app = create_app(settings)
    _settle_garbage_collector()
    serve("ingest", app, settings, settings.port)
    return 0


def _settle_garbage_collector() -> None:
    """Move what start-up built (modules, models, routes: ~140,000 objects) out of the collector's sight:
    a full collection walking them all paused every request in flight for tens of milliseconds."""
    gc.collect()
    gc.freeze()


def _import(args: argparse.Namespace) -> int:
    from .csv_import import import_file

    return asyncio.run(import_file(Path(args.file), args.type, args.source, args.skip_bad, get_settings()))


def _parser() -> argparse.ArgumentParser:
    parser = PlainParser(prog="coprod ingest", description="coprod's event ingest")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the HTTP API (the default)")
    importer = commands.add_parser("import", help="turn a spreadsheet (CSV) into events")
    importer.add_argument("file", help="the CSV file; list columns such as topics are ';'-separated")
    importer.add_argument("--type", required=True, help="the event type of every row, e.g. engagement.recorded")
    importer.add_argument("--source", required=True, help="the CloudEvents source, e.g. urn:spreadsheet:north")
    importer.add_argument("--skip-bad", action="store_true", help="store the good rows even if some are bad")
    eraser = commands.add_parser("erase", help="forget a person: their token can no longer be tied to them")
    eraser.add_argument("upstream_id", help="the person's id in the upstream system")
    docs = commands.add_parser("docs", help="write the event reference, JSON Schemas and samples")
    docs.add_argument("directory", nargs="?", default="docs")
    return parser
