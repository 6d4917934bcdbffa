"""What a failed append means for the client: its own data the database cannot hold (422, sending it again will
not help), or the event store not answering (503, send it again). One place decides which."""

from __future__ import annotations

import re

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc

_OF_THE_DATA = (
    exc.DataError,
    exc.IntegrityError,
    asyncpg.DataError,
    asyncpg.IntegrityConstraintViolationError,
    OverflowError,
    UnicodeError,
)
"""A value the database (or its driver) refuses to store: the same request fails the same way every time."""
_OF_THE_STORE = (
    OSError,
    TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
    asyncpg.InsufficientResourcesError,
)
"""The store cannot be reached or is refusing work: nothing about the requests, so none is worth trying alone."""
_ARGUMENT = re.compile(r"invalid input for query argument \$\d+: .*\(([^()]*)\)\s*$")
"""asyncpg's framing of a value it could not encode; the words in the last brackets say why."""


class BadData(Exception):
    """422: the event store cannot hold a value in this request's events."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"the event store cannot hold a value in these events ({reason}); nothing was stored, and sending them"
            " again will not help: correct them first"
        )


class StoreUnavailable(Exception):
    """503: the event store did not answer, so the events may not be stored."""

    def __init__(self) -> None:
        super().__init__(
            "the event store did not answer; the events may not be stored: send them again (repeats are safe)"
        )


def of_the_store(error: BaseException) -> bool:
    return isinstance(error, _OF_THE_STORE)


def as_answer(error: Exception) -> Exception:
    """The exception a request's client hears for a failed append."""
    if isinstance(error, _OF_THE_DATA):
        return BadData(_reason(error))
    return StoreUnavailable()


def _reason(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    text = (str(cause).strip().splitlines() or [""])[0]
    if found := _ARGUMENT.match(text):
        return found.group(1)
    return text[:200] or type(cause).__name__
