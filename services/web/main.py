"""`python -m services.web [serve]`: the dashboard; `… users add EMAIL --role R …`: an account."""

from __future__ import annotations

from collections.abc import Sequence

from shared.cli import PlainParser

from . import users_command
from .settings import get_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = PlainParser(prog="coprod web", description="coprod's dashboard")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the dashboard (the default)")
    users_command.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "users":
        return users_command.run(args)
    from shared.serving import serve

    from .app import create_app

    settings = get_settings()
    serve("web", create_app(settings), settings, settings.port, proxy_headers=True)
    return 0
