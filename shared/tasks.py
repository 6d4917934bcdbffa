"""Stopping background tasks without letting one that ignores its cancellation hang a shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)


async def stop_tasks(tasks: Iterable[asyncio.Task[object] | asyncio.Task[None]], timeout: float = 5.0) -> None:
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if not pending:
        return
    _, stuck = await asyncio.wait(pending, timeout=timeout)
    for task in stuck:
        log.warning("background task %s did not stop within %.0fs; leaving it", task.get_name(), timeout)
