"""`python -m services.web users add EMAIL --role R [--region R]... [--service ID]... --password-stdin`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from shared.cli import PlainParser
from shared.db import make_engine

from .accounts.access import ROLES
from .accounts.passwords import weakness
from .accounts.users import AccountProblem, User, add_user, checked
from .migrate import upgrade
from .settings import get_settings


def add_parser(commands: argparse._SubParsersAction[PlainParser]) -> None:
    users = commands.add_parser("users", help="dashboard accounts")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an account")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", action="append", default=[], help="a region a manager sees (repeat for more)")
    add.add_argument("--service", action="append", default=[], help="a service_id a manager sees (repeat for more)")
    add.add_argument("--password-stdin", action="store_true", required=True, help="read the password from stdin")


def run(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if problem := weakness(password):
        print(f"coprod users add: {problem}", file=sys.stderr)
        return 2
    try:
        checked(args.email, args.role, args.region, args.service)
        user = asyncio.run(_add(args.email, password, args.role, args.region, args.service))
    except AccountProblem as error:
        print(f"coprod users add: {error}", file=sys.stderr)
        return 2
    print(f"Added {user.email}: {user.describe}.")
    return 0


async def _add(email: str, password: str, role: str, regions: list[str], services: list[str]) -> User:
    settings = get_settings()
    engine = make_engine(settings.database_url_for("web"), settings.database_schema)
    try:
        await upgrade(engine, settings.database_schema)
        return await add_user(engine, email, password, role, regions, services)
    finally:
        await engine.dispose()
