"""The event streams: one Redis stream per event family, under a prefix each deployment (or test) chooses,
and what one entry holds: a single field, `event`, the stored event's JSON with its position first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from .events import FAMILIES, family_of

DEFAULT_PREFIX = "coprod:"
EVENT_FIELD = "event"
_EVENT_KEY = EVENT_FIELD.encode()
_EARLIER_FIELD = b"__data__"
"""Entries written before 2026-12 by FastStream's publisher (its binary format 1): still read, so an upgrade
with entries pending in Redis loses none of them."""


def stream_name(family: str, prefix: str = DEFAULT_PREFIX) -> str:
    if family not in FAMILIES:
        raise ValueError(f"no event family called {family!r}")
    return f"{prefix}events:{family}"


def stream_for(event_type: str, prefix: str = DEFAULT_PREFIX) -> str:
    return stream_name(family_of(event_type), prefix)


def all_streams(prefix: str = DEFAULT_PREFIX) -> list[str]:
    return [stream_name(family, prefix) for family in FAMILIES]


def dead_letter_stream(group: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}dead-letters:{group}"


def encode_entry(position: int, event_json: str) -> bytes:
    """An entry's `event` field: the stored event's JSON object (`{"specversion": …}`) with its position put first."""
    return b'{"position":' + str(position).encode() + b"," + event_json[1:].encode()


def entry_of(event: Mapping[str, Any]) -> dict[str, bytes]:
    """A stream entry holding `event` (with its position), as the relay writes one: for tests and benches."""
    return {EVENT_FIELD: orjson.dumps(event)}


def decode_entry(fields: dict[bytes, bytes]) -> dict[str, Any]:
    """The event in a stream entry; what is not one comes back as `{"unreadable": …}`, which no parser accepts."""
    try:
        data = fields.get(_EVENT_KEY)
        if data is None:
            data = _earlier(fields[_EARLIER_FIELD])
        body = orjson.loads(data)
    except (KeyError, ValueError, IndexError, orjson.JSONDecodeError):
        return {"unreadable": repr(fields)[:2000]}
    return body if isinstance(body, dict) else {"body": body}


def _earlier(frame: bytes) -> bytes:
    from faststream.redis.parser import BinaryMessageFormatV1  # only for entries of the earlier format, and rare

    data, _headers = BinaryMessageFormatV1.parse(frame)
    return data
