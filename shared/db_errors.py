"""What a failed database write means: a value it will never take (trying again cannot help), or a store that is
not answering (try again later). One place decides, for ingest's answers and the projections' set-aside events."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
from sqlalchemy import exc

_OF_THE_DATA = (
    exc.DataError,
    exc.IntegrityError,
    asyncpg.DataError,
    asyncpg.IntegrityConstraintViolationError,
    OverflowError,
    UnicodeError,
)
"""A value the database (or its driver) refuses to store: the same write fails the same way every time."""
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
"""The store cannot be reached or is refusing work: nothing about the data, so worth trying again later."""


def of_the_data(error: BaseException) -> bool:
    return isinstance(error, _OF_THE_DATA)


def of_the_store(error: BaseException) -> bool:
    return isinstance(error, _OF_THE_STORE)
