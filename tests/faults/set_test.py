"""The set test: N distinct events through ingest while the nemesis works; then every acknowledged event must be
stored once and counted once in the figures."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from coprod_up import KEY, CoprodUp

from shared.events import cloud_event

PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}
SOURCE = "urn:faults"
BATCH = "application/cloudevents-batch+json"
AUTH = {"Authorization": f"Bearer {KEY}"}
LEVELS = ("educating", "informing", "consulting", "engaging", "co_designing", "co_producing")


def service() -> dict[str, Any]:
    data = {
        "service_id": "svc-faults",
        "name": "Fault Court",
        "service_type": "retirement_living",
        "region": "north_west",
        "opened_on": "2020-01-01",
    }
    return _event("service-faults", "service.registered", data)


def engagement(run: str, n: int) -> dict[str, Any]:
    data = {
        "activity_id": f"{run}-{n}",
        "occurred_on": (date(2025, 4, 1) + timedelta(days=n % 365)).isoformat(),
        "activity_type": "meeting",
        "level": LEVELS[n % len(LEVELS)],
        "mode": "face_to_face",
        "service_id": "svc-faults",
        "customers_participating": 1 + n % 20,
    }
    return _event(f"{run}-{n}", "engagement.recorded", data)


def _event(id_: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return cloud_event(type_, data, id=id_, source=SOURCE, time="2025-06-01T10:00:00Z")


@dataclass
class Sent:
    """What ingest acknowledged (202), and what it never did however often it was asked."""

    acknowledged: set[str] = field(default_factory=set)
    unacknowledged: set[str] = field(default_factory=set)
    retries: int = 0


async def send(up: CoprodUp, events: list[dict[str, Any]], spread_over: float, batch: int = 100,
               senders: int = 4, give_up_after: float = 180) -> Sent:
    """Send `events` in batches from `senders` clients, paced to take about `spread_over` seconds; a batch that
    gets no 202 is sent again (the same ids: ingest stores each once) until `give_up_after` seconds have passed."""
    sent = Sent()
    batches = [events[i:i + batch] for i in range(0, len(events), batch)]
    queue: asyncio.Queue[tuple[int, list[dict[str, Any]]]] = asyncio.Queue()
    for item in enumerate(batches):
        queue.put_nowait(item)
    began = time.monotonic()

    async def sender() -> None:
        async with httpx.AsyncClient(base_url=up.url("ingest"), headers=AUTH, timeout=10) as client:
            while not queue.empty():
                index, events = queue.get_nowait()
                await asyncio.sleep(max(0.0, began + spread_over * index / len(batches) - time.monotonic()))
                await _send_one(client, events, sent, give_up_after)

    await asyncio.gather(*(sender() for _ in range(senders)))
    return sent


async def _send_one(client: httpx.AsyncClient, events: list[dict[str, Any]], sent: Sent, give_up_after: float) -> None:
    deadline = time.monotonic() + give_up_after
    body = json.dumps(events)
    while True:
        try:
            answer = await client.post("/v1/events", content=body, headers={"Content-Type": BATCH})
        except httpx.HTTPError:
            answer = None
        if answer is not None and answer.status_code == 202:
            sent.acknowledged.update(outcome["id"] for outcome in answer.json()["events"])
            return
        if answer is not None and answer.status_code not in (429, 500, 502, 503, 504):
            raise AssertionError(f"ingest refused a valid batch: {answer.status_code} {answer.text[:300]}")
        if time.monotonic() > deadline:
            sent.unacknowledged.update(event["id"] for event in events)
            return
        sent.retries += 1
        await asyncio.sleep(0.5)


def stored_ids(up: CoprodUp) -> list[str]:
    """Every id from our source in the event store, as many times as it is stored."""
    ids: list[str] = []
    after = 0
    with httpx.Client(base_url=up.url("ingest"), headers=AUTH, timeout=30) as client:
        while True:
            params = {"after": after, "limit": 5000}
            page = _until_answered(lambda params=params: client.get("/v1/events", params=params))  # type: ignore[misc]
            events = page["events"]
            ids += [event["id"] for event in events if event["source"] == SOURCE]
            if not events:
                return ids
            after = events[-1]["position"]


def activities(up: CoprodUp) -> int:
    with httpx.Client(base_url=up.url("projections"), headers=AUTH, timeout=30) as client:
        body = _until_answered(lambda: client.get("/v1/kpis/summary", params=PERIOD))
    return int(body["engagement"]["activities"])


def dead_letters(up: CoprodUp) -> list[Any]:
    with httpx.Client(base_url=up.url("projections"), headers=AUTH, timeout=30) as client:
        body = _until_answered(lambda: client.get("/v1/dead-letters"))
    found: list[Any] = body if isinstance(body, list) else body.get("dead_letters", body.get("items", []))
    return found


def _until_answered(ask: Any, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = ask()
            if answer.status_code == 200:
                return answer.json()
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"no 200 within {timeout:.0f} s")
        time.sleep(0.5)


def catch_up(up: CoprodUp, expected: int, timeout: float) -> float:
    """Seconds until the figures count at least `expected` activities (more would be a double count)."""
    began = time.monotonic()
    while (counted := activities(up)) < expected:
        if time.monotonic() - began > timeout:
            raise AssertionError(f"the figures count {counted} activities, not {expected}, after {timeout:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - began


@dataclass
class Figures:
    events: int
    acknowledged: int
    unacknowledged: int
    faults: list[str]
    lost: int
    duplicated: int
    counted: int
    catch_up_seconds: float
    retries: int

    def lines(self) -> list[str]:
        return [
            f"events sent          {self.events}",
            f"acknowledged (202)   {self.acknowledged}",
            f"never acknowledged   {self.unacknowledged}",
            f"faults injected      {len(self.faults)}: {', '.join(self.faults)}",
            f"batches sent again   {self.retries}",
            f"lost                 {self.lost}",
            f"duplicated           {self.duplicated}",
            f"activities counted   {self.counted}",
            f"time to catch up     {self.catch_up_seconds:.1f} s (after the last event and the last fault)",
        ]


def check(up: CoprodUp, sent: Sent, events: int, faults: list[str], catch_up_timeout: float) -> Figures:
    """Lost: acknowledged but not stored, or stored but not counted. Duplicated: stored or counted twice."""
    stored = stored_ids(up)
    distinct = set(stored)
    engagements = {id_ for id_ in distinct if id_ != "service-faults"}
    lost_from_store = len(sent.acknowledged - distinct)
    stored_twice = len(stored) - len(distinct)
    seconds = catch_up(up, len(engagements), catch_up_timeout)
    counted = activities(up)
    return Figures(
        events=events,
        acknowledged=len(sent.acknowledged - {"service-faults"}),
        unacknowledged=len(sent.unacknowledged),
        faults=faults,
        lost=lost_from_store + max(0, len(engagements) - counted),
        duplicated=stored_twice + max(0, counted - len(engagements)),
        counted=counted,
        catch_up_seconds=seconds,
        retries=sent.retries,
    )


def new_run() -> str:
    return "f" + uuid.uuid4().hex[:8]
