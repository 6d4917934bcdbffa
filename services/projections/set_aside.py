"""Events a generation cannot apply are set aside, so the figures never freeze behind them.

Whoever meets such an event (the live consumer, the catch-up from the event store, a rebuild) records it here
with why, in plain words, and goes on: its position counts as passed (catch_up.py `contiguous_end`), so the
watermark moves past it. A failure of the store itself (not answering, locked) is never a reason: that write
is tried again later (shared/db_errors.py decides which is which).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db_errors import of_the_store
from shared.events import InvalidEvent

from .bulk import insert_new
from .tables import ReadModel

T = TypeVar("T")


@dataclass(frozen=True)
class SetAside:
    """One event set aside: where it is in the event store, which it is, and why it cannot be applied."""

    position: int
    event_id: str | None
    type: str | None
    reason: str

    def __str__(self) -> str:
        return f"position {self.position} ({self.type}, id {self.event_id}): {self.reason}"


def worth_retrying(error: BaseException) -> bool:
    """The store failed, not the event: try it again rather than set it aside."""
    return of_the_store(error)


def reason_of(error: BaseException) -> str:
    if isinstance(error, InvalidEvent):
        return f"it does not meet the event contract: {error}"[:2000]
    first_line = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]
    return f"it could not be applied ({type(error).__name__}: {first_line})"[:2000]


def set_aside_of(raw: Mapping[str, Any], reason: str) -> SetAside | None:
    """The stored event (a JSON object with its position) set aside; None when it has no position to pass."""
    position = raw.get("position")
    if not isinstance(position, int) or isinstance(position, bool):
        return None
    return SetAside(position, _short(raw.get("id")), _short(raw.get("type")), reason[:2000])


async def record(conn: AsyncConnection, model: ReadModel, events: Sequence[SetAside]) -> None:
    now = datetime.now(UTC)
    rows = [{"position": e.position, "event_id": e.event_id, "type": e.type, "reason": e.reason, "set_aside_at": now}
            for e in {e.position: e for e in events}.values()]
    await insert_new(conn, model.set_aside, rows)


async def set_aside(engine: AsyncEngine, model: ReadModel, events: Sequence[SetAside]) -> None:
    if events:
        async with engine.begin() as conn:
            await record(conn, model, events)


async def listed(conn: AsyncConnection, model: ReadModel, limit: int = 1000) -> list[SetAside]:
    """The events set aside and not applied since, in position order."""
    s = model.set_aside.c
    query = select(s.position, s.event_id, s.type, s.reason).where(_not_applied(model)).order_by(s.position)
    return [SetAside(*row) for row in await conn.execute(query.limit(limit))]


async def counted(conn: AsyncConnection, model: ReadModel) -> int:
    query = select(func.count()).select_from(model.set_aside).where(_not_applied(model))
    return int(await conn.scalar(query) or 0)


def _not_applied(model: ReadModel) -> Any:
    applied = select(model.facts.c.position).where(model.facts.c.position == model.set_aside.c.position)
    return ~applied.exists()


def _short(value: Any) -> str | None:
    return None if value is None else str(value)[:200]


def checked(page: Sequence[dict[str, Any]], check: Callable[[dict[str, Any]], T]) -> tuple[list[T], list[SetAside]]:
    """Each stored event of a page as `check` makes it; those it refuses, set aside (checks are pure, so any error
    is the event's)."""
    made: list[T] = []
    refused: list[SetAside] = []
    for raw in page:
        try:
            made.append(check(raw))
        except Exception as error:
            if (one := set_aside_of(raw, reason_of(error))) is not None:
                refused.append(one)
    return made, refused
