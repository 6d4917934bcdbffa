"""Events sent to ingest's HTTP API with the web's own key, each naming the colleague who sent it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

BATCH = "application/cloudevents-batch+json"


class NotRecorded(Exception):
    """Ingest refused the events or did not answer; the message says why in plain words."""


def source_for(user_id: str) -> str:
    """A pseudonymous source per colleague, so each event says who sent it without naming them."""
    return f"urn:coprod:web:user:{user_id}"


def cloud_event(event_type: str, data: dict[str, Any], user_id: str, event_id: str | None = None) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or uuid.uuid4().hex,
        "source": source_for(user_id),
        "type": event_type,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }


class Ingest:
    def __init__(self, client: httpx.AsyncClient, base_url: str, key: str | None) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": BATCH} if key else {"Content-Type": BATCH}

    async def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Ingest's answer for each event (`accepted` or `duplicate`, with its position)."""
        try:
            answer = await self.client.post(self.base_url + "/v1/events", json=events, headers=self.headers)
        except httpx.HTTPError as error:
            raise NotRecorded(f"the ingest service at {self.base_url} did not answer ({error})") from None
        if answer.status_code != 202:
            raise NotRecorded(f"the ingest service refused it ({answer.status_code}): {answer.text[:500]}")
        results: list[dict[str, Any]] = answer.json()["events"]
        return results
