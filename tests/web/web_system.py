"""The whole system as `coprod up` runs it (web, ingest, projections, notify as processes), on the tests' Redis
and database, with helpers to send events and read the figures as any client would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from waiting import eventually as eventually

from coprod.environment import free_port
from coprod.up import ServiceFailed, System
from shared.db import drop_schema
from shared.events import cloud_event

KEY = "web-tests-" + uuid.uuid4().hex
NORTH_WEST_KEY = "north-west-managers-" + uuid.uuid4().hex
"""The key the web records a north-west manager's forms with: ingest takes from it only north-west events."""
T = TypeVar("T")


FAILED_SIGN_INS_PER_MINUTE = 12


def base_env(data_dir: Path, redis_url: str, postgres_url: str | None, schema: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    keys = [{"name": "tests", "key": KEY, "sources": ["*"], "types": ["*"], "scopes": ["write", "read", "admin"]},
            {"name": "north-west managers", "key": NORTH_WEST_KEY, "sources": ["urn:coprod:web:*"],
             "regions": ["north_west"]}]
    env.update({
        "COPROD_DATA_DIR": str(data_dir),
        "COPROD_API_KEYS": json.dumps(keys),
        "COPROD_REDIS_URL": redis_url,
        "COPROD_STREAM_PREFIX": f"test-{uuid.uuid4().hex[:12]}:",
        "COPROD_EMBEDDED_SMTP_PORT": str(free_port()),
        "COPROD_FAILED_AUTH_PER_MINUTE": str(FAILED_SIGN_INS_PER_MINUTE),
        **{f"COPROD_{name}_PORT": str(free_port()) for name in ("WEB", "INGEST", "PROJECTIONS", "NOTIFY")},
    })
    if postgres_url:
        env["COPROD_DATABASE_URL"] = postgres_url
        env["COPROD_DATABASE_SCHEMA"] = schema or ""
    return env


def _drop_schema(url: str, schema: str | None) -> None:
    """In a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as apart:
        apart.submit(asyncio.run, drop_schema(url, schema)).result()


@contextlib.contextmanager
def running_system(
    data_dir: Path, redis_url: str, postgres_url: str | None, extra_env: dict[str, str] | None = None
) -> Iterator[System]:
    schema = f"t_{uuid.uuid4().hex[:16]}" if postgres_url else None  # the services create it
    log: list[str] = []
    system = System({**base_env(data_dir, redis_url, postgres_url, schema), **(extra_env or {})}, emit=log.append)
    try:
        system.start(ready_timeout=120)
    except ServiceFailed as failure:
        system.stop()
        pytest.fail(f"{failure}\n" + "\n".join(log[-40:]))
    try:
        yield system
    finally:
        system.stop()
        if postgres_url:
            _drop_schema(postgres_url, schema)


def api(system: System, service: str) -> httpx.Client:
    return httpx.Client(base_url=system.url(service), headers={"Authorization": f"Bearer {KEY}"}, timeout=30)


_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")


def unique_letters(length: int = 32) -> str:
    """A random name without digits: ingest refuses a run of digits that reads as an NHS or phone number, and a
    random hex id holds one now and then (a web test failed so)."""
    return uuid.uuid4().hex[:length].translate(_NO_DIGITS)


def event(type_: str, data: dict[str, Any], when: str = "2025-06-01T10:00:00Z") -> dict[str, Any]:
    return cloud_event(type_, data, id=unique_letters(), source="urn:web-tests", time=when)


def send(system: System, events: list[dict[str, Any]]) -> None:
    with api(system, "ingest") as ingest:
        answer = ingest.post("/v1/events", content=json.dumps(events),
                             headers={"Content-Type": "application/cloudevents-batch+json"})
    assert answer.status_code == 202, answer.text


def summary(system: System, params: dict[str, str]) -> dict[str, Any]:
    with api(system, "projections") as projections:
        answer = projections.get("/v1/kpis/summary", params=params)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def add_user(system: System, email: str, password: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`coprod users add` as a person runs it, with the system's environment."""
    command = [sys.executable, "-m", "coprod", "users", "add", email, *args, "--password-stdin"]
    return subprocess.run(command, input=password + "\n", env=system.base_env, capture_output=True, text=True,
                          timeout=60)


OFFICER = ("officer@example.org", "officer-password-1")
MANAGER = ("north.manager@example.org", "manager-password-1")
VIEWER = ("board.viewer@example.org", "viewer-password-1")


def add_accounts(system: System) -> None:
    for (email, password), limits in ((OFFICER, ["--role", "officer"]),
                                      (MANAGER, ["--role", "manager", "--region", "north_west"]),
                                      (VIEWER, ["--role", "viewer"])):
        done = add_user(system, email, password, *limits)
        assert done.returncode == 0, done.stderr


def form_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


@contextlib.contextmanager
def signed_in(system: System, account: tuple[str, str]) -> Iterator[httpx.Client]:
    """A client signed in through the sign-in form, as a browser would."""
    with httpx.Client(base_url=system.url("web"), timeout=30) as client:
        token = form_token(client.get("/sign-in").text)
        answer = client.post("/sign-in", data={"email": account[0], "password": account[1], "csrf_token": token})
        assert answer.status_code == 303, answer.text
        yield client
