"""What a failed append means for the client: its own data the database cannot hold (422, sending it again will
not help), or the event store not answering (503, send it again); shared/db_errors.py decides which."""

from __future__ import annotations

import re

from shared.db_errors import of_the_data, of_the_store

__all__ = ["BadData", "StoreUnavailable", "as_answer", "of_the_store"]

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


def as_answer(error: Exception) -> Exception:
    """The exception a request's client hears for a failed append."""
    if of_the_data(error):
        return BadData(_reason(error))
    return StoreUnavailable()


def _reason(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    text = (str(cause).strip().splitlines() or [""])[0]
    if found := _ARGUMENT.match(text):
        return found.group(1)
    return text[:200] or type(cause).__name__
