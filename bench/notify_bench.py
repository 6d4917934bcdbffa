"""Notify bench: one national opportunity to 10,000 champions by email, into a local aiosmtpd sink.

Prints the time from publish to the last message accepted, with each champion's own personal links (signed
tokens, built per recipient) and, in the same run, with personal links off (every champion the same links: the
time before alerts were built per recipient); the duplicates (must be 0); and the time aiosmtplib alone takes to
send as many ready-made messages to the same sink over as many connections (what the sink itself allows).
Target: 10 s or less with personal links. `--champions N` to change the size.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import multiprocessing
import os
import tempfile
import time
from email import policy
from email.message import EmailMessage
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet

from coprod.environment import free_port
from services.notify.assembly import build_delivering
from services.notify.clock import SystemClock
from services.notify.contacts import ContactDetails, Sealer
from services.notify.dispatcher import DispatchConfig, Dispatcher
from services.notify.intake import Intake
from services.notify.metrics import Metrics
from services.notify.migrate import upgrade
from services.notify.settings import NotifySettings
from services.notify.tables import contacts
from shared.db import make_engine
from shared.events import cloud_event, parse_event


class Sink:
    """Counts what it accepts, per recipient. Runs in a process of its own, as a mail provider would."""

    def __init__(self) -> None:
        self.by_recipient: collections.Counter[str] = collections.Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        for address in envelope.rcpt_tos:
            self.by_recipient[address] += 1
        return "250 OK"


def serve_sink(port: int, requests: Connection) -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    requests.send("ready")
    while requests.recv() != "stop":
        requests.send(dict(sink.by_recipient))
    controller.stop()


def event(type_: str, data: dict[str, Any], position: int) -> Any:
    raw = cloud_event(type_, data, id=f"bench-{position}", source="urn:bench", time="2026-06-01T11:00:00+00:00")
    return parse_event(raw, position=position)


def sample_message() -> bytes:
    message = EmailMessage()
    message["From"], message["Subject"] = "alerts@coprod.example", "Involvement opportunity: Bench"
    message.set_content("An alert of ordinary length. " * 20)
    message.add_alternative("<p>An alert of ordinary length.</p>" * 20, subtype="html")
    return message.as_bytes(policy=policy.SMTP)


async def baseline(port: int, count: int, connections: int) -> float:
    """aiosmtplib alone: the same number of messages, built beforehand, over as many connections."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    shared = sample_message()

    async def one_connection() -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            while not queue.empty():
                to = f"base{queue.get_nowait()}@baseline.example"
                await smtp.sendmail("alerts@coprod.example", [to], f"To: {to}\r\n".encode() + shared)

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    return time.perf_counter() - started


async def prepare(settings: NotifySettings, count: int, client: httpx.AsyncClient) -> tuple[Intake, Dispatcher]:
    engine = make_engine(settings.database_url_for("notify"), settings.database_schema)
    await upgrade(engine, settings.database_schema)
    clock = SystemClock()
    delivering, _ = build_delivering(settings, engine, client)
    dispatcher = Dispatcher(
        engine,
        delivering,
        clock,
        DispatchConfig("bench", _lease(), settings.dispatch_batch, 0.05),
        Metrics(),
    )
    intake = Intake(engine, delivering.timetable, clock, dispatcher.wake)
    joins = [
        event(
            "champion.joined",
            {"champion_id": f"c{i}", "role": "customer", "joined_on": "2025-01-01", "channels": ["email"]},
            i + 1,
        )
        for i in range(count)
    ]
    for start in range(0, count, 1000):
        await intake(joins[start : start + 1000])
    sealer = Sealer(settings.contact_key.get_secret_value())  # type: ignore[union-attr]
    rows = [
        {"champion_id": f"c{i}", "sealed": sealer.seal(ContactDetails(email=f"c{i}@champions.example")),
         "updated_at": clock.now()}
        for i in range(count)
    ]
    async with engine.begin() as conn:
        await conn.execute(contacts.insert(), rows)
    return intake, dispatcher


def _lease() -> Any:
    from datetime import timedelta

    return timedelta(seconds=120)


async def alert_everyone(port: int, count: int, workdir: Path, personal_links: bool) -> tuple[float, NotifySettings]:
    """A fresh store, `count` champions with email, one publication: seconds until the dispatcher has sent all."""
    settings = NotifySettings(
        database_url=os.environ.get("COPROD_DATABASE_URL") or f"sqlite+aiosqlite:///{workdir / 'notify.db'}",
        database_schema=os.environ.get("COPROD_DATABASE_SCHEMA"),
        smtp_url=f"smtp://127.0.0.1:{port}",
        contact_key=Fernet.generate_key().decode(),
        webhook_secret="bench",
        link_secret="bench-link-secret",
        personal_links=personal_links,
        data_dir=workdir,
    )
    async with httpx.AsyncClient() as client:
        intake, dispatcher = await prepare(settings, count, client)
        started = time.perf_counter()
        published = {
            "opportunity_id": "bench-o1",
            "title": "Bench",
            "summary": "Help us choose",
            "scope": "national",
            "closes_on": "2030-01-31",
        }
        await intake([event("opportunity.published", published, count + 1)])
        await dispatcher.drain()
        took = time.perf_counter() - started
        await dispatcher.engine.dispose()
    return took, settings


async def run(count: int, workdir: Path) -> None:
    port = free_port()
    sink, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve_sink, args=(port, child), daemon=True)
    process.start()
    sink.recv()
    try:
        first = await baseline(port, count, 8)
        before, _ = await alert_everyone(port, count, workdir / "shared-links", personal_links=False)
        took, settings = await alert_everyone(port, count, workdir / "personal-links", personal_links=True)
        base = min(first, await baseline(port, count, settings.smtp_connections))
        sink.send("count")
        alerts = {a: n for a, n in sink.recv().items() if a.endswith("@champions.example")}
        duplicates = sum(n - 2 for n in alerts.values() if n > 2)  # each champion is alerted once in each run
        print(
            f"sink: aiosmtplib alone sent {count} ready-made messages over {settings.smtp_connections} "
            f"connections in {base:.2f} s ({count / base:.0f}/s; the faster of a run before notify's and one after)"
        )
        print(
            f"baseline, personal links off (the same links for all, as before): {count} alerts in {before:.2f} s "
            f"({count / before:.0f}/s)"
        )
        print(
            f"notify, each champion's own signed links: {count} alerts in {took:.2f} s ({count / took:.0f}/s); "
            f"{took / before:.2f}x the baseline; target 10 s: {'met' if took <= 10 else 'NOT met'}"
        )
        print(f"champions alerted in both runs: {sum(n == 2 for n in alerts.values())} of {count}; "
              f"duplicates: {duplicates}")
    finally:
        sink.send("stop")
        process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--champions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(run(args.champions, Path(workdir)))


if __name__ == "__main__":
    main()
