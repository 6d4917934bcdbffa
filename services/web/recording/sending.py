"""One form, one event: the id the form carries is the event's, so a form sent twice is recorded once."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from ..clients.ingest import Ingest, Outcome, Sent, cloud_event
from ..pages.asked import access_of
from .allowed import recording_key

_EVENT_ID = re.compile(r"[0-9a-f]{32}")
AGAIN = "Send the form again: it will be recorded once, however often it is sent."


def new_event_id() -> str:
    return uuid.uuid4().hex


def event_id_of(form: FormData) -> str:
    """The id the form was given when it was shown (a new one if it was tampered with)."""
    found = str(form.get("event_id") or "")
    return found if _EVENT_ID.fullmatch(found) else new_event_id()


async def send(request: Request, event_type: str, data: dict[str, Any], event_id: str) -> Sent:
    """`accepted`, or `duplicate` when this form was sent before; NotRecorded when ingest refused or is away."""
    return (await record(request, event_type, data, event_id)).status


async def record(request: Request, event_type: str, data: dict[str, Any], event_id: str) -> Outcome:
    """`send`, with where the event is in the log, so the confirmation can link to it."""
    event = cloud_event(event_type, data, request.state.user.user_id, event_id)
    return (await record_all(request, [event]))[0]


async def record_all(request: Request, events: list[dict[str, Any]]) -> list[Outcome]:
    """Events sent together (all or none), with the key this colleague records with."""
    ingest: Ingest = request.app.state.ingest
    return await ingest.record(events, recording_key(request, access_of(request)))
