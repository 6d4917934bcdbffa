"""kill -9 of notify mid-send: every champion hears at least once, a repeat is the same message, and says so."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from notify_doubles import SmtpSink
from notify_harness import joined, published
from notify_ingest import AUTH, ingest_on_a_port
from notify_process import NotifyProcess
from waiting import eventually_async

CHAMPIONS = [f"cog-{i}" for i in range(300)]
KILL_AT = 100


@pytest.mark.slow
async def test_alerts_after_a_kill_mid_send_reach_everyone_and_repeats_are_marked(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    async with (
        ingest_on_a_port(database, redis_url, stream_prefix, tmp_path / "ingest") as ingest_url,
        httpx.AsyncClient(base_url=ingest_url, headers=AUTH, timeout=30) as ingest,
    ):
        first = NotifyProcess(database, redis_url, stream_prefix, ingest_url, smtp.url, tmp_path / "notify")
        second = first
        try:
            await asyncio.to_thread(first.start)
            async with httpx.AsyncClient(base_url=first.url, headers=AUTH, timeout=30) as notify:
                await _champions_with_email(ingest, notify)
                smtp.accepted = lambda count: _kill(first) if count == KILL_AT else None
                await ingest.post("/v1/events", json=_cloud(published("opp")))
                assert await asyncio.to_thread(first.wait) == -signal.SIGKILL
                second = await asyncio.to_thread(NotifyProcess.start, first)
                log = await eventually_async(lambda: _all_sent(notify), "every alert sent after the restart", 120)
            reported = await eventually_async(lambda: _reported(ingest), "every outcome in the record", 60)
        finally:
            second.stop()
    _assert_honest(smtp, log, reported)


def _assert_honest(smtp: SmtpSink, log: list[dict[str, Any]], reported: dict[str, dict[str, Any]]) -> None:
    ids_by_address: dict[str, list[str]] = defaultdict(list)
    for message in smtp.messages:
        assert message["Date"], "every email says when it was sent"
        ids_by_address[message["To"]].append(message["Message-ID"])
    assert set(ids_by_address) == {f"{c}@example.org" for c in CHAMPIONS}, "every champion got at least one"
    repeated = {address for address, ids in ids_by_address.items() if len(ids) > 1}
    assert repeated, "the message kept just before the kill went again"
    assert all(len(set(ids_by_address[a])) == 1 for a in repeated), "a repeat has the same Message-ID"
    all_ids = [ids[0] for ids in ids_by_address.values()]
    assert len(set(all_ids)) == len(CHAMPIONS), "each champion's alert has its own Message-ID"
    marked = {n["notification_id"] for n in log if n["possibly_sent_twice"]}
    repeated_ids = {ids_by_address[a][0].strip("<>").removesuffix("@coprod") for a in repeated}
    assert repeated_ids <= marked, "every repeat is marked possibly sent twice in the delivery log"
    assert len(marked) <= 64, "only alerts in flight (at most twice COPROD_SEND_CONCURRENCY) at the kill are marked"
    assert {i for i, e in reported.items() if e["data"].get("possibly_sent_twice")} == marked


async def _champions_with_email(ingest: httpx.AsyncClient, notify: httpx.AsyncClient) -> None:
    answer = await ingest.post("/v1/events", json=[_cloud(joined(c, channels=["email"])) for c in CHAMPIONS])
    assert answer.status_code == 202, answer.text
    gate = asyncio.Semaphore(8)

    async def contact(champion: str) -> None:
        async def taken() -> int | None:
            async with gate:
                put = await notify.put(f"/v1/champions/{champion}/contact", json={"email": f"{champion}@example.org"})
            return None if put.status_code == 404 else put.status_code

        assert await eventually_async(taken, f"notify to take {champion}'s contact", 60) == 200

    await asyncio.gather(*(contact(c) for c in CHAMPIONS))


async def _all_sent(notify: httpx.AsyncClient) -> list[dict[str, Any]] | None:
    try:
        answer = await notify.get("/v1/notifications", params={"opportunity_id": "opp"})
    except httpx.HTTPError:
        return None
    log: list[dict[str, Any]] = answer.json()["notifications"] if answer.status_code == 200 else []
    return log if len(log) == len(CHAMPIONS) and all(n["status"] == "sent" for n in log) else None


async def _reported(ingest: httpx.AsyncClient) -> dict[str, dict[str, Any]] | None:
    events = (await ingest.get("/v1/events", params={"limit": 10_000})).json()["events"]
    sent = {e["id"]: e for e in events if e["type"] == "notification.sent"}
    return sent if len(sent) == len(CHAMPIONS) else None


def _kill(notify: NotifyProcess) -> None:
    assert notify.process is not None
    os.kill(notify.process.pid, signal.SIGKILL)


def _cloud(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k != "position"}
