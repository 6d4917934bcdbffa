"""Accounts in the web's own store: who someone is, their role and their limits."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .access import ROLES, Access, Role
from .passwords import hashed
from .tables import users

DEV_OFFICER = "development.officer@coprod.invalid"


class AccountProblem(Exception):
    """An account that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class User:
    user_id: str
    email: str
    role: Role
    regions: tuple[str, ...]
    services: tuple[str, ...]
    password_hash: str | None = None

    @property
    def access(self) -> Access:
        return Access(self.role, self.regions, self.services)

    @property
    def describe(self) -> str:
        return self.access.describe()


def _user(row: Any) -> User:
    return User(row.user_id, row.email, cast(Role, row.role), tuple(row.regions), tuple(row.services),
                row.password_hash)


def checked(email: str, role: str, regions: list[str], services: list[str]) -> str:
    """The email as stored (lower case); AccountProblem when the account would make no sense."""
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountProblem(f"{email!r} is not an email address")
    if role not in ROLES:
        raise AccountProblem(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "manager" and not (regions or services):
        raise AccountProblem("a manager needs at least one --region or --service to be limited to")
    if role != "manager" and (regions or services):
        raise AccountProblem(f"only a manager is limited to regions or services; an {role} sees "
                             + ("every figure" if role == "officer" else "national figures only"))
    return email


async def add_user(
    engine: AsyncEngine, email: str, password: str | None, role: str, regions: list[str], services: list[str]
) -> User:
    email, user_id = checked(email, role, regions, services), uuid.uuid4().hex
    values = {"user_id": user_id, "email": email, "password_hash": hashed(password) if password else None,
              "role": role, "regions": list(regions), "services": list(services), "created_at": int(time.time())}
    try:
        async with engine.begin() as conn:
            await conn.execute(users.insert().values(**values))
    except IntegrityError:
        raise AccountProblem(f"{email} already has an account") from None
    return User(user_id, email, cast(Role, role), tuple(regions), tuple(services))


async def find_by_email(conn: AsyncConnection, email: str) -> User | None:
    row = (await conn.execute(select(users).where(users.c.email == email.strip().lower()))).first()
    return _user(row) if row else None


async def find(conn: AsyncConnection, user_id: str) -> User | None:
    row = (await conn.execute(select(users).where(users.c.user_id == user_id))).first()
    return _user(row) if row else None


async def development_officer(engine: AsyncEngine) -> User:
    """The development officer account, made the first time and kept; it signs in by one-time link only."""
    async with engine.connect() as conn:
        found = await find_by_email(conn, DEV_OFFICER)
    if found:
        return found
    try:
        return await add_user(engine, DEV_OFFICER, None, "officer", [], [])
    except AccountProblem:  # another process made it meanwhile
        async with engine.connect() as conn:
            made = await find_by_email(conn, DEV_OFFICER)
        assert made is not None
        return made


async def from_sign_on(engine: AsyncEngine, email: str, role: str, regions: list[str], services: list[str]) -> User:
    """The account of someone the organisation's sign-in vouched for, made the first time; its role and limits are
    the provider's each time, so a change there takes effect at the next sign-in."""
    email = checked(email, role, regions, services)
    async with engine.begin() as conn:
        found = await find_by_email(conn, email)
        if found:
            await conn.execute(users.update().where(users.c.user_id == found.user_id)
                               .values(role=role, regions=regions, services=services))
            return User(found.user_id, email, cast(Role, role), tuple(regions), tuple(services), found.password_hash)
    return await add_user(engine, email, None, role, regions, services)
