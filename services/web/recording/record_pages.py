"""What was recorded: one event of ingest's log as it stands there, field by field, with when and who sent it.
Each confirmation links here, so a colleague sees exactly what the record now holds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..accounts.access import Refused
from ..clients.ingest import Ingest, source_for, user_of
from ..pages.formatting import label, moment
from ..pages.render import page
from .activity_view import NoSuchActivity
from .allowed import recorder, services_for

router = APIRouter()
CODES = frozenset({"scope", "region", "open_to", "mode", "reason", "service_type", "kind", "channel", "theme",
                   "activity_type", "level"})


def _text(name: str, value: Any, names: dict[str, str]) -> str:
    if name == "service_id":
        return names.get(str(value), str(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return label(str(value)) if name in CODES else str(value)


@router.get("/recorded/{position}", response_class=HTMLResponse)
async def recorded_event(request: Request, position: int) -> HTMLResponse:
    """One event of the record, if this account sent it or may record for its service or region."""
    access = recorder(request)
    ingest: Ingest = request.app.state.ingest
    found = await ingest.event_at(position) if position > 0 else None
    if found is None:
        raise NoSuchActivity(f"There is nothing at position {position} of the record.")
    data: dict[str, Any] = found.get("data") or {}
    dims, _ = await services_for(request, access)
    service, region = data.get("service_id"), data.get("region")
    mine = found["source"] == source_for(request.state.user.user_id)
    if not mine and service and not access.may_see_service(str(service), dims.region_of(str(service))):
        raise Refused("This was recorded for a service your account does not record for.")
    if not mine and region and not service and not access.may_see_region(str(region)):
        raise Refused("This was recorded for a region your account does not record for.")
    names = {s.service_id: s.name for s in dims.services.values()}
    rows = [(label(name), _text(name, value, names)) for name, value in data.items()]
    who = "you" if mine else ("a colleague in the browser" if user_of(found["source"]) else found["source"])
    when = moment(datetime.fromisoformat(found["time"]).astimezone(UTC))
    return page(request, "recording/record.html", title="What was recorded", event_type=found["type"], rows=rows,
                who=who, when=when, position=position)
