"""Send the demo year to a running coprod over its APIs, as an upstream system would."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from .generator import DEFAULT_SEED, demo_year
from .maker import financial_year_start

BATCH = 500
BATCH_TYPE = "application/cloudevents-batch+json"


class DemoFailed(RuntimeError):
    """The running system refused the demo data; the message says what it answered."""


def load_demo(
    ingest_url: str,
    notify_url: str,
    key: str,
    say: Callable[[str], None] = print,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
) -> int:
    """This financial year so far (the same events each day, and those of the days since). Events first, then
    champions' contact details, then opportunities, so the alerts have somewhere to go."""
    today = today or date.today()
    year = demo_year(financial_year_start(today), seed).so_far(today)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(headers=headers, timeout=60) as client:
        say(f"demo  | sending {len(year.events)} events to {ingest_url}")
        send_events(client, ingest_url, year.events)
        say(f"demo  | giving notify the contact details of {len(year.contacts)} champions")
        for champion_id, contact in year.contacts.items():
            put_contact(client, notify_url, token_of(client, ingest_url, champion_id), contact)
        published = sum(1 for event in year.opportunities if event["type"] == "opportunity.published")
        say(f"demo  | publishing {published} involvement opportunities and their sign-ups")
        send_events(client, ingest_url, year.opportunities)
    total = len(year.events) + len(year.opportunities)
    say(f"demo  | done: {total} events; alerts arrive in the outbox as notify sends them")
    return total


def send_events(client: httpx.Client, ingest_url: str, events: list[dict[str, Any]]) -> None:
    for start in range(0, len(events), BATCH):
        batch = events[start : start + BATCH]
        response = client.post(f"{ingest_url}/v1/events", json=batch, headers={"Content-Type": BATCH_TYPE})
        if response.status_code != 202:
            raise DemoFailed(f"ingest answered {response.status_code}: {response.text[:300]}")


def token_of(client: httpx.Client, ingest_url: str, upstream_id: str) -> str:
    """Ingest keeps a token for each person in its record, and notify knows champions by it alone."""
    response = client.get(f"{ingest_url}/v1/people/{upstream_id}")
    if response.status_code != 200:
        raise DemoFailed(f"ingest answered {response.status_code} for {upstream_id}'s token: {response.text[:200]}")
    token: str = response.json()["token"]
    return token


def put_contact(
    client: httpx.Client, notify_url: str, champion_id: str, contact: dict[str, str], patience: float = 60
) -> None:
    """Notify answers 404 until it has read the champion's `champion.joined`: keep asking a while."""
    deadline = time.monotonic() + patience
    while True:
        response = client.put(f"{notify_url}/v1/champions/{champion_id}/contact", json=contact)
        if response.status_code in (200, 201, 204):
            return
        if response.status_code != 404 or time.monotonic() > deadline:
            raise DemoFailed(
                f"notify answered {response.status_code} for {champion_id}'s contact: {response.text[:200]}"
            )
        time.sleep(0.5)
