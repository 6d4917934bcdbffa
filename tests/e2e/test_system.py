"""The three services as real processes, started by the same code as `coprod up`, driven over HTTP."""

from __future__ import annotations

import asyncio
import email
import email.message
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from waiting import eventually

from coprod.environment import free_port
from coprod.up import ServiceFailed, System
from shared.db import drop_schema
from shared.events import cloud_event

pytestmark = pytest.mark.slow

KEY = "e2e-" + uuid.uuid4().hex
PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}
T = TypeVar("T")


def system_env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    keys = [{"name": "e2e", "key": KEY, "sources": ["*"], "types": ["*"], "scopes": ["write", "read", "admin"]}]
    env.update(
        {
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_API_KEYS": json.dumps(keys),
            "COPROD_WEB_PORT": str(free_port()),
            "COPROD_INGEST_PORT": str(free_port()),
            "COPROD_PROJECTIONS_PORT": str(free_port()),
            "COPROD_NOTIFY_PORT": str(free_port()),
            "COPROD_EMBEDDED_REDIS_PORT": str(free_port()),
            "COPROD_EMBEDDED_SMTP_PORT": str(free_port()),
        }
    )
    return env


def running(env: dict[str, str], log: list[str]) -> System:
    system = System(env, emit=log.append)
    try:
        system.start(ready_timeout=120)
    except ServiceFailed as failure:
        system.stop()
        pytest.fail(f"{failure}\n" + "\n".join(log[-40:]))
    return system


@pytest.fixture
def env(tmp_path: Path, postgres_url: str | None) -> Iterator[dict[str, str]]:
    """The embedded default, or PostgreSQL in a schema of this test's own when the tests have one."""
    if postgres_url is None:
        yield system_env(tmp_path / "state")
        return
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    yield system_env(tmp_path / "state") | {"COPROD_DATABASE_URL": postgres_url, "COPROD_DATABASE_SCHEMA": schema}
    asyncio.run(drop_schema(postgres_url, schema))


@pytest.fixture
def system(env: dict[str, str]) -> Iterator[System]:
    log: list[str] = []
    started = running(env, log)
    yield started
    started.stop()


def event(type_: str, data: dict[str, Any], when: str = "2025-06-01T10:00:00Z") -> dict[str, Any]:
    return cloud_event(type_, data, id=uuid.uuid4().hex, source="urn:e2e", time=when)


def client(system: System, service: str) -> httpx.Client:
    return httpx.Client(base_url=system.url(service), headers={"Authorization": f"Bearer {KEY}"}, timeout=30)


def send(system: System, events: list[dict[str, Any]]) -> None:
    with client(system, "ingest") as ingest:
        response = ingest.post(
            "/v1/events", content=json.dumps(events), headers={"Content-Type": "application/cloudevents-batch+json"}
        )
    assert response.status_code == 202, response.text


def summary(system: System) -> dict[str, Any]:
    with client(system, "projections") as projections:
        response = projections.get("/v1/kpis/summary", params=PERIOD)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def activities_reach(system: System, count: int) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        body = summary(system)
        return body if body["engagement"]["activities"] >= count else None

    return probe


def service_and_activity(activity_id: str) -> list[dict[str, Any]]:
    return [
        event(
            "service.registered",
            {
                "service_id": "svc-e2e",
                "name": "Oak Court",
                "service_type": "retirement_living",
                "region": "north_west",
                "opened_on": "2020-01-01",
            },
        ),
        event(
            "engagement.recorded",
            {
                "activity_id": activity_id,
                "occurred_on": "2025-06-01",
                "activity_type": "meeting",
                "level": "co_producing",
                "mode": "face_to_face",
                "service_id": "svc-e2e",
                "customers_participating": 6,
            },
        ),
    ]


def put_contact(system: System, upstream_id: str, address: str) -> None:
    with client(system, "ingest") as ingest:
        champion_id = ingest.get(f"/v1/people/{upstream_id}").json()["token"]

    def probe() -> int | None:
        with client(system, "notify") as notify:
            response = notify.put(f"/v1/champions/{champion_id}/contact", json={"email": address})
        return None if response.status_code == 404 else response.status_code

    assert eventually(probe, "notify to know the champion") in (200, 201, 204)


def alert_to(outbox: Path, address: str) -> Callable[[], email.message.Message | None]:
    def probe() -> email.message.Message | None:
        for path in outbox.glob("**/*.eml"):
            message = email.message_from_bytes(path.read_bytes())
            if address in str(message.get("To", "")):
                return message
        return None

    return probe


def text_of(message: email.message.Message) -> str:
    parts = [part.get_payload(decode=True) for part in message.walk() if not part.is_multipart()]
    return str(message.get("Subject", "")) + b"".join(p for p in parts if isinstance(p, bytes)).decode(errors="replace")


def test_events_change_the_figures_and_an_alert_lands_in_the_outbox(system: System) -> None:
    before = summary(system)["engagement"]["activities"]
    send(system, service_and_activity("act-e2e-1"))
    after = eventually(activities_reach(system, before + 1), "the figures to count the activity")
    assert after["engagement"]["coproduced"] >= 1

    send(
        system,
        [
            event(
                "champion.joined",
                {
                    "champion_id": "cog-e2e",
                    "role": "customer",
                    "joined_on": "2025-01-01",
                    "region": "north_west",
                    "channels": ["email"],
                    "cadence": "immediate",
                },
            )
        ],
    )
    put_contact(system, "cog-e2e", "cog-e2e@example.org")
    opportunity = {
        "opportunity_id": "opp-e2e",
        "title": "Help choose the lounge furniture",
        "scope": "national",
        "summary": "Come and choose with us.",
        "closes_on": "2030-01-31",
        "open_to": "both",
    }
    send(system, [event("opportunity.published", opportunity, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))])
    alert = eventually(alert_to(system.outbox, "cog-e2e@example.org"), "an alert in the outbox")
    assert "lounge furniture" in text_of(alert)


def test_a_second_start_carries_on_from_the_same_state(env: dict[str, str]) -> None:
    log: list[str] = []
    first = running(env, log)
    try:
        send(first, service_and_activity("act-e2e-2"))
        counted = eventually(activities_reach(first, 1), "the figures to count the activity")
    finally:
        first.stop()
    second = running(env, log)
    try:
        again = summary(second)
        assert again["engagement"]["activities"] == counted["engagement"]["activities"]
    finally:
        second.stop()


ERASED = ["cm-erase-0417", "cog-erase-31", "cog-erase-31@example.org", "07700 900917", "+447700900917"]


def test_after_an_erasure_nothing_anywhere_holds_the_person(env: dict[str, str]) -> None:
    log: list[str] = []
    system = running(env, log)
    try:
        trained_before = summary(system)["training"]["people_trained"]["total"]
        send(system, people_to_erase())
        with client(system, "ingest") as ingest:
            champion = ingest.get("/v1/people/cog-erase-31").json()["token"]
            contact = {"email": "cog-erase-31@example.org", "phone": "07700 900917"}
            with client(system, "notify") as notify:
                eventually(
                    lambda: notify.put(f"/v1/champions/{champion}/contact", json=contact).status_code == 200 or None,
                    "notify to take the contact",
                )
            assert ingest.delete("/v1/people/cm-erase-0417").json()["erased"] is True
        send(system, [event("champion.left", {"champion_id": "cog-erase-31", "left_on": "2025-09-01", "erase": True})])
        with client(system, "notify") as notify:
            eventually(
                lambda: notify.put(f"/v1/champions/{champion}/contact", json=contact).status_code == 409 or None,
                "notify to read that the champion left",
            )
        figures = eventually(figures_caught_up(system), "the figures to catch up")
        assert figures["training"]["people_trained"]["total"] == trained_before + 1
    finally:
        system.stop()
    searched = [path for path in Path(env["COPROD_DATA_DIR"]).rglob("*") if path.is_file()]
    assert any("appendonly" in str(path) for path in searched)
    if "COPROD_DATABASE_URL" in env:
        tables = asyncio.run(every_row(env["COPROD_DATABASE_URL"], env["COPROD_DATABASE_SCHEMA"]))
        assert {"events", "ingest_people"} <= set(tables) and "s-erase" in tables["events"]  # searched for real
        for table, rows in tables.items():
            assert not [found for found in ERASED if found in rows], table
    else:
        assert {"ingest.db", "projections.db", "notify.db"} <= {path.name for path in searched}
    for path in searched:
        held = path.read_bytes()
        assert not [found for found in ERASED if found.encode() in held], path
    assert not [line for line in log if any(found in line for found in ERASED)]


async def every_row(url: str, schema: str) -> dict[str, str]:
    """Every row of every table in the schema, as PostgreSQL writes it as text, table by table."""
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        names = await conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema})
        tables = {}
        for (name,) in names.all():
            rows = await conn.execute(sa.text(f'SELECT t::text FROM "{schema}"."{name}" t'))
            tables[name] = "\n".join(row for (row,) in rows.all())
    await engine.dispose()
    return tables


def people_to_erase() -> list[dict[str, Any]]:
    session = {"session_id": "s-erase", "held_on": "2025-06-01", "module": "intro", "mode": "virtual"}
    attended = {"session_id": "s-erase", "person_id": "cm-erase-0417", "role": "customer"}
    joined = {"champion_id": "cog-erase-31", "role": "customer", "joined_on": "2025-05-01", "channels": ["email"]}
    return [
        event("training.session_held", session),
        event("training.attended", attended),
        event("champion.joined", joined),
    ]


def figures_caught_up(system: System) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        with client(system, "ingest") as ingest:
            head = ingest.get("/v1/events/head").json()["position"]
        body = summary(system)
        return body if body["as_of"]["position"] >= head else None

    return probe


# A champion acts on their alert's own links: the .eml outbox, notify, ingest and projections as processes, and
# plain HTTP as a phone's browser or a mail program would send it.
LINK = re.compile(r"https?://\S+/(?:yes|choose|stop)/[A-Za-z0-9._-]+")
TODAY = date.today()
RECENT = {"from": (TODAY - timedelta(days=7)).isoformat(), "to": TODAY.isoformat()}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _champion(system: System, upstream: str) -> str:
    joined = {"champion_id": upstream, "role": "customer", "joined_on": "2025-01-01", "channels": ["email"]}
    send(system, [event("champion.joined", joined)])
    address = f"{upstream}@example.org"
    put_contact(system, upstream, address)
    return address


def _publish(system: System, opportunity_id: str) -> None:
    opportunity = {"opportunity_id": opportunity_id, "title": f"Have your say: {opportunity_id}", "scope": "national",
                   "summary": "Come and choose with us.", "closes_on": "2030-01-31", "places": 5}
    send(system, [event("opportunity.published", opportunity, _now())])


def _alerts(system: System, address: str, count: int) -> list[email.message.Message]:
    def probe() -> list[email.message.Message] | None:
        found = [
            message
            for path in sorted(system.outbox.glob("**/*.eml"))
            if (message := email.message_from_bytes(path.read_bytes()))["To"] == address
        ]
        return found if len(found) >= count else None

    return eventually(probe, f"{count} alert(s) to {address} in the outbox")


def _part(message: email.message.Message, kind: str) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == f"text/{kind}")
    payload: Any = part.get_payload(decode=True)
    return str(payload.decode())


def _links(message: email.message.Message) -> dict[str, str]:
    return {url.split("/")[-2]: url for url in LINK.findall(_part(message, "plain"))}


def _sign_ups(system: System) -> int | None:
    with client(system, "projections") as projections:
        figures = projections.get("/v1/kpis/summary", params=RECENT).json()
    return figures["opportunities"]["sign_ups"] or None


def test_a_champion_changes_to_large_print_signs_up_and_unsubscribes_from_their_alerts(system: System) -> None:
    address, control = _champion(system, "cog-links"), _champion(system, "cog-control")
    _publish(system, "opp-links-1")
    [first] = _alerts(system, address, 1)
    links = _links(first)

    with httpx.Client(timeout=30) as phone:
        assert "Large print" in phone.get(links["choose"]).text
        saved = phone.post(links["choose"], data={"channels": "email", "format": "large_print", "cadence": "immediate"})
        assert saved.status_code == 200 and "Your choices are saved" in saved.text
        _publish(system, "opp-links-2")
        second = _alerts(system, address, 2)[1]
        assert "font-size: 20pt" in _part(second, "html") and "font-size: 20pt" not in _part(first, "html")

        assert "I'm interested</button>" in phone.get(links["yes"]).text
        assert "You are signed up" in phone.post(links["yes"]).text
        assert eventually(lambda: _sign_ups(system), "the sign-up in the figures") == 1
        assert "You are already signed up" in phone.post(links["yes"]).text

        assert second["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        one_click = second["List-Unsubscribe"].strip("<>")
        answer = phone.post(one_click, content=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 200

    _publish(system, "opp-links-3")
    assert len(_alerts(system, control, 3)) == 3, "the other champion still hears"
    time.sleep(2)
    assert len(_alerts(system, address, 2)) == 2, "nothing more after the one-click unsubscribe"
