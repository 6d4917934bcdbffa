"""An activity's page: what it is now, and its history (every event about it, when, who sent it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from ..accounts.access import Access, Refused
from ..accounts.users import find
from ..clients.ingest import user_of
from ..pages.asked import access_of
from ..pages.dimensions import Dimensions
from ..pages.formatting import day, label, moment
from ..pages.render import page
from .activity import Activity, folded
from .activity_log import Stored, catch_up, events_about
from .allowed import services_for

router = APIRouter()
WHAT = {"engagement.recorded": "Recorded", "engagement.amended": "Amended", "engagement.withdrawn": "Withdrawn",
        "engagement.outcome_recorded": "Outcome recorded"}
FIELDS = (("occurred_on", "Date"), ("service_id", "Service"), ("activity_type", "Kind of activity"),
          ("mode", "How people took part"), ("level", "Level"), ("customers_participating", "Customers"),
          ("colleagues_participating", "Colleagues"), ("topics", "Topics"),
          ("accessibility_support", "Support to take part"), ("summary", "What happened"))


DONE = {"amended": "Your changes are recorded", "withdrawn": "The activity is withdrawn",
        "outcome": "What changed is recorded"}


class NoSuchActivity(Exception):
    """No event names this activity (404)."""


async def shown_activity(request: Request, activity_id: str, access: Access) -> tuple[Activity, Dimensions]:
    """The activity, once the web's copy has caught up with the record; only if this account may see it."""
    engine: AsyncEngine = request.app.state.engine
    await catch_up(engine, request.app.state.ingest)
    activity = folded(activity_id, await events_about(engine, activity_id))
    if activity is None:
        raise NoSuchActivity(f"There is no activity with the id {activity_id!r} in the record.")
    dims, _ = await services_for(request, access)
    service = activity.service_id
    if access.role != "officer" and not (service and access.may_see_service(service, dims.region_of(service))):
        raise Refused("Your account cannot see this activity: it is not for one of your services.")
    return activity, dims


def value_text(name: str, value: Any, dims: Dimensions) -> str:
    if name == "service_id":
        return dims.name_of(value)
    if name == "occurred_on" or name == "communicated_on":
        return day(date.fromisoformat(value))
    if name == "topics":
        return ", ".join(str(topic).capitalize() for topic in value)
    if name in ("activity_type", "mode", "level"):
        return label(value)
    return str(value)


def _what(stored: Stored, dims: Dimensions) -> str:
    what = WHAT.get(stored.event_type, stored.event_type)
    if stored.event_type == "engagement.amended":
        changed = [f"{text}: {value_text(name, stored.data[name], dims)}" for name, text in FIELDS
                   if stored.data.get(name) is not None]
        return f"{what} ({'; '.join(changed)})" if changed else what
    if stored.event_type == "engagement.withdrawn":
        return f"{what}: {stored.data.get('reason')}"
    if stored.event_type == "engagement.outcome_recorded":
        return f"{what}: {stored.data.get('outcome')}"
    return what


async def _who(engine: AsyncEngine, sources: set[str]) -> dict[str, str]:
    found = {}
    async with engine.connect() as conn:
        for source in sources:
            user_id = user_of(source)
            user = await find(conn, user_id) if user_id else None
            found[source] = user.email if user else f"another system ({source})"
    return found


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
async def activity_page(request: Request, activity_id: str) -> HTMLResponse:
    """One activity and its history."""
    access = access_of(request)
    activity, dims = await shown_activity(request, activity_id, access)
    fields = activity.fields
    rows = [(text, value_text(name, fields[name], dims)) for name, text in FIELDS if fields.get(name) is not None]
    if activity.outcome:
        rows.append(("You said, we did", f"{activity.outcome.get('outcome')} (told customers on "
                     f"{value_text('communicated_on', activity.outcome['communicated_on'], dims)})"))
    who = await _who(request.app.state.engine, {stored.source for stored in activity.history})
    history = [{"when": moment(datetime.fromisoformat(s.time).astimezone(UTC)), "what": _what(s, dims),
                "who": who[s.source]} for s in activity.history]
    on = fields.get("occurred_on")
    title = f"{label(fields.get('activity_type'))} on {value_text('occurred_on', on, dims)}" if on else activity_id
    actions = [] if access.role == "viewer" or activity.withdrawn is not None else [
        (f"/activities/{activity_id}/amend", "Change this activity"),
        (f"/activities/{activity_id}/outcome", "Record what changed because of it (you said, we did)"),
        (f"/activities/{activity_id}/withdraw", "Withdraw this activity")]
    done = DONE.get(request.query_params.get("done") or "")
    return page(request, "recording/activity.html", title=title, activity=activity, rows=rows, history=history,
                actions=actions, done=done)
