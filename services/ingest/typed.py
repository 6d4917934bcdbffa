"""Each event type's envelope with its `data` model inside: a valid event is checked in one pydantic call.

`parse_event` checks the envelope, then the data, then builds an `Event` from both; ingest only needs the
envelope's attributes (the stored JSON is the event as received), so it skips the rebuild. An event this path
refuses goes through `parse_event`, whose problems (and their words) are the ones reported.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError, create_model

from shared.events import EVENT_TYPES, Envelope

_TYPED: dict[str, type[Envelope]] = {
    event_type: create_model(f"{model.__name__}Event", __base__=Envelope, data=(model, ...))
    for event_type, model in EVENT_TYPES.items()
}


def valid_envelope(raw: Any) -> Envelope | None:
    """The checked envelope (its data checked against its type's model), or None if anything is wrong."""
    if not isinstance(raw, dict):
        return None
    event_type = raw.get("type")
    typed = _TYPED.get(event_type) if isinstance(event_type, str) else None
    if typed is None:
        return None
    try:
        return typed.model_validate(raw)
    except ValidationError:
        return None
