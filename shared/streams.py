"""Stream names: one Redis stream per event family, under a prefix each deployment (or test) chooses."""

from __future__ import annotations

import logging

from faststream.redis import RedisBroker
from faststream.redis.parser import BinaryMessageFormatV1

from .events import FAMILIES, family_of

DEFAULT_PREFIX = "coprod:"
WIRE_FORMAT = BinaryMessageFormatV1
"""Pinned on purpose: FastStream's default wire format changed between minor versions."""


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


def make_broker(redis_url: str) -> RedisBroker:
    """Every service's broker: same wire format on both sides of a stream, logging through coprod's own format
    (FastStream's default logger colours its lines and writes one per message)."""
    return RedisBroker(redis_url, message_format=WIRE_FORMAT, logger=logging.getLogger("faststream"))
