"""The three CloudEvents HTTP content modes (structured, batched, binary) turned into a list of raw events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from .checks import Refused
from .guard import DEFAULT_MAX_TEXT
from .nesting import MAX_DEPTH, too_deep

STRUCTURED = {"application/cloudevents+json"}
BATCH = {"application/cloudevents-batch+json"}
PLAIN_JSON = {"application/json"}
_TOO_DEEP = f"objects and arrays sit more than {MAX_DEPTH} levels inside one another here; {MAX_DEPTH} is the most"
_BINARY_ATTRIBUTES = ("specversion", "id", "source", "type", "time", "subject", "dataschema")


class BadRequest(Exception):
    """A request coprod cannot read: its status (400, 413, 415, 422) and a plain-words reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_events: int
    max_bytes: int
    max_text: int = DEFAULT_MAX_TEXT


def too_large(limits: Limits) -> BadRequest:
    return BadRequest(413, f"the request is larger than {limits.max_bytes // 2**20} MB; send smaller batches")


async def read_body(headers: Mapping[str, str], chunks: AsyncIterator[bytes], limits: Limits) -> bytes:
    """The body, refused as soon as it passes the limit: before reading it when its length is declared, else while
    it streams in (chunked), so a body of any size costs no more memory than the limit."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large(limits)
    received = bytearray()
    async for chunk in chunks:
        received += chunk
        if len(received) > limits.max_bytes:
            raise too_large(limits)
    return bytes(received)


def read_events(headers: Mapping[str, str], body: bytes, limits: Limits) -> list[Any]:
    if len(body) > limits.max_bytes:
        raise too_large(limits)
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if "ce-specversion" in headers:
        return _not_too_deep([_binary_event(headers, media_type, body)])
    if media_type not in STRUCTURED | BATCH | PLAIN_JSON:
        raise BadRequest(
            415,
            f"coprod takes events as application/cloudevents+json, application/cloudevents-batch+json or"
            f" application/json, not {media_type or 'a request without a Content-Type'}",
        )
    parsed = _json(body)
    if media_type in BATCH and not isinstance(parsed, list):
        raise BadRequest(422, "a batch (application/cloudevents-batch+json) must be a JSON array of events")
    if media_type in STRUCTURED and not isinstance(parsed, dict):
        raise BadRequest(422, "a single event (application/cloudevents+json) must be a JSON object")
    return _not_too_deep(_checked_batch(parsed, limits) if isinstance(parsed, list) else [parsed])


def _checked_batch(events: list[Any], limits: Limits) -> list[Any]:
    if not events:
        raise BadRequest(422, "the batch is empty: send at least one event")
    if len(events) > limits.max_events:
        raise BadRequest(413, f"a batch may hold at most {limits.max_events} events; this one holds {len(events)}")
    return events


def _not_too_deep(events: list[Any]) -> list[Any]:
    problems = [
        {"index": index, "field": field, "message": _TOO_DEEP}
        for index, event in enumerate(events)
        if (field := too_deep(event)) is not None
    ]
    if problems:
        raise Refused(problems)
    return events


def _binary_event(headers: Mapping[str, str], media_type: str, body: bytes) -> dict[str, Any]:
    if media_type not in PLAIN_JSON:
        raise BadRequest(415, f"in binary mode the body is the event's data, as application/json, not {media_type}")
    event: dict[str, Any] = {name: headers[f"ce-{name}"] for name in _BINARY_ATTRIBUTES if f"ce-{name}" in headers}
    event["datacontenttype"] = "application/json"
    event["data"] = _json(body)
    return event


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(400, f"the body is not valid JSON ({error})") from None
