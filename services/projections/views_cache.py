"""Answers kept until the figures move, so a dashboard asking again costs no query.

An answer is kept under the stamp it was read at, before the figures: the live generation, its watermark and
the last position applied to it. Every event up to that watermark was already in the tables the answer came
from, so while none of the three moves the answer is as up to date as its `as_of` says (and holds every event
applied so far, in the usual order); once one moves, every kept answer is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import ReadModel

Stamp = tuple[int, int, int]
"""(generation, watermark, last position applied): each only ever grows."""


async def stamp_of(conn: AsyncConnection, model: ReadModel, watermark: int) -> Stamp:
    last = await conn.scalar(select(func.max(model.facts.c.position)))
    return model.generation, watermark, int(last or 0)


class Answers:
    def __init__(self, most: int = 512) -> None:
        self._stamp: Stamp = (-1, -1, -1)
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._most = most

    def get(self, stamp: Stamp, question: Hashable) -> Any | None:
        if stamp != self._stamp:
            return None
        found = self._kept.get(question)
        if found is not None:
            self._kept.move_to_end(question)
        return found

    def put(self, stamp: Stamp, question: Hashable, answer: Any) -> None:
        if stamp < self._stamp:  # read before the figures last moved: newer answers are kept instead
            return
        if stamp > self._stamp:
            self._stamp, self._kept = stamp, OrderedDict()
        self._kept[question] = answer
        if len(self._kept) > self._most:
            self._kept.popitem(last=False)
