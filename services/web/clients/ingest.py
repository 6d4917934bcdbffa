"""Events sent to ingest's HTTP API with the web's own key, each naming the colleague who sent it; and ingest's
log read back, to show what was recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

from shared.events import cloud_event as envelope

BATCH = "application/cloudevents-batch+json"
WEB_USER = "urn:coprod:web:user:"
Sent = Literal["accepted", "duplicate"]


@dataclass(frozen=True)
class Outcome:
    status: Sent
    position: int | None


class NotRecorded(Exception):
    """Ingest refused the events or did not answer; the message says why in plain words."""


def source_for(user_id: str) -> str:
    """A pseudonymous source per colleague, so each event says who sent it without naming them."""
    return WEB_USER + user_id


def user_of(source: str) -> str | None:
    return source.removeprefix(WEB_USER) if source.startswith(WEB_USER) else None


def cloud_event(event_type: str, data: dict[str, Any], user_id: str, event_id: str | None = None) -> dict[str, Any]:
    """An event sent by the signed-in colleague `user_id`, dated now."""
    return envelope(event_type, data, id=event_id or uuid.uuid4().hex, source=source_for(user_id),
                    time=datetime.now(UTC))


class Ingest:
    def __init__(self, client: httpx.AsyncClient, base_url: str, key: str | None) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    async def send(self, events: list[dict[str, Any]], key: str | None = None) -> list[Sent]:
        """For each event, `accepted`, or `duplicate` when its id was recorded before (even with other content)."""
        return [outcome.status for outcome in await self.record(events, key)]

    async def record(self, events: list[dict[str, Any]], key: str | None = None) -> list[Outcome]:
        """`send`, with where each event is in the log (none when the same id came with other content).
        `key`, when given, is sent instead of the web's own (a manager's limited key)."""
        headers = {**self.headers, "Content-Type": BATCH}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        answer = await self._call("POST", "/v1/events", json=events, headers=headers)
        if answer.status_code == 409:
            return [Outcome("duplicate", None)] * len(events)
        if answer.status_code != 202:
            raise NotRecorded(_refusal(answer))
        return [Outcome(found["status"], found.get("position")) for found in answer.json()["events"]]

    async def rows(self, body: dict[str, Any], key: str | None) -> dict[str, Any]:
        """A spreadsheet's rows checked (and, with `store`, stored all or none) by ingest's import rules: the
        answer lists each bad row and field; NotRecorded when ingest refused the request itself."""
        headers = {**self.headers, **({"Authorization": f"Bearer {key}"} if key else {})}
        answer = await self._call("POST", "/v1/rows", json=body, headers=headers, timeout=300)
        if answer.status_code not in (200, 202, 422):
            raise NotRecorded(_refusal(answer))
        found: dict[str, Any] = answer.json()
        if "problems" not in found:
            raise NotRecorded(_refusal(answer))
        return found

    async def event_at(self, position: int) -> dict[str, Any] | None:
        events, _ = await self.read_log(position - 1, 1)
        return events[0] if events and events[0].get("position") == position else None

    async def read_log(self, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The events stored after position `after`, and the head."""
        answer = await self._call("GET", "/v1/events", params={"after": after, "limit": limit}, headers=self.headers)
        if answer.status_code != 200:
            raise NotRecorded(_refusal(answer))
        body = answer.json()
        return body["events"], int(body["head"])

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self.client.request(method, self.base_url + path, **kwargs)
        except httpx.HTTPError as error:
            raise NotRecorded(f"the ingest service at {self.base_url} did not answer ({error})") from None


def _refusal(answer: httpx.Response) -> str:
    try:
        body = answer.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    return f"the ingest service refused it ({answer.status_code}): {detail or answer.text[:500]}"
