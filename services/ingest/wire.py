"""FastStream's binary wire format (`BinaryMessageFormatV1`), written directly for the relay's one kind of message.

The bytes are the ones `WIRE_FORMAT.encode` writes for the stored event JSON with its position and the headers
correlation_id, content-type, position and type, in that order; the tests check them against it, byte for byte.
The header lengths are counted in characters, as FastStream counts them: every header here is ASCII.
"""

from __future__ import annotations

import struct
import uuid
from functools import cache

from shared.streams import WIRE_FORMAT

from .store import StoredEvent

_VERSION = 1
_HEADERS_START = len(WIRE_FORMAT.IDENTITY_HEADER) + 2 + 8
_PREFIX = WIRE_FORMAT.IDENTITY_HEADER + struct.pack(">HI", _VERSION, _HEADERS_START)
_HEADER_COUNT = 4


def _string(text: bytes) -> bytes:
    return struct.pack(">H", len(text)) + text


_CORRELATION_ID = _string(b"correlation_id")
_CONTENT_TYPE = _string(b"content-type") + _string(b"application/json")
_POSITION = _string(b"position")


@cache
def _type_header(event_type: str) -> bytes:
    return _string(b"type") + _string(event_type.encode())


def frame(event: StoredEvent, correlation_id: str | None = None) -> bytes:
    """One stream entry's `__data__`: what `broker.publish` would write for this event."""
    position = str(event.position).encode()
    headers = b"".join(
        (
            _CORRELATION_ID,
            _string((correlation_id or str(uuid.uuid4())).encode()),
            _CONTENT_TYPE,
            _POSITION,
            _string(position),
            _type_header(event.type),
        )
    )
    data_start = _HEADERS_START + 2 + len(headers)
    body = b'{"position":' + position + b"," + event.body[1:].encode()
    return b"".join((_PREFIX, struct.pack(">IH", data_start, _HEADER_COUNT), headers, body))
