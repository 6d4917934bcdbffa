"""`python -m services.notify [serve]`: run notify's HTTP API, stream consumer and dispatcher."""

from __future__ import annotations

from collections.abc import Sequence

from shared.cli import PlainParser

from .settings import get_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = PlainParser(prog="coprod notify", description="coprod's champion alerts")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the HTTP API, the stream consumer and the dispatcher (the default)")
    parser.parse_args(argv)
    from shared.serving import serve

    from .app import create_app

    settings = get_settings()
    serve("notify", create_app(settings), settings, settings.port)
    return 0
