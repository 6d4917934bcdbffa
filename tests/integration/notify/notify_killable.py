"""A dispatcher in a process of its own, for a test to kill with SIGKILL while it is sending."""

from __future__ import annotations

import asyncio
import sys

from notify_harness import notify


async def dispatch(url: str, schema: str | None, smtp_url: str, contact_key: str) -> None:
    async with notify(url, schema, smtp_url, contact_key=contact_key) as system:
        await system.dispatcher("doomed").drain()


if __name__ == "__main__":
    url, schema, smtp_url, key = sys.argv[1:5]
    asyncio.run(dispatch(url, schema or None, smtp_url, key))
