"""Notify has rate limits of its own: per API key, and per address for missing or unknown keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from notify_doubles import SmtpSink
from notify_ingest import AUTH, notify_settings

from services.notify.app import create_app


async def test_notify_limits_each_key_and_each_address_with_unknown_keys(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    settings = notify_settings(database, redis_url, stream_prefix, "http://127.0.0.1:9", smtp, tmp_path)
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 2, "failed_auth_per_minute": 2}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify", headers=AUTH) as notify,
    ):
        log = [await notify.get("/v1/notifications", params={"opportunity_id": "o"}) for _ in range(3)]
        wrong = {"Authorization": "Bearer not-a-key-coprod-knows"}
        unknown = [(await notify.get("/v1/notifications", headers=wrong)).status_code for _ in range(3)]
    assert [a.status_code for a in log] == [200, 200, 429]
    assert int(log[-1].headers["Retry-After"]) >= 1 and log[-1].json()["status"] == 429
    assert unknown == [401, 401, 429]
