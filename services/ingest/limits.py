"""Keys limited to regions or services (`regions`, `services` on an API key): each event must be about a place
the key may record for, or ingest refuses the request (403, naming the event and the place).

Why here, and so: the web checks a manager's forms, but a check only the web makes fails open if the web has a
bug or someone holds the key. So the web sends a manager's forms with a key limited to that manager's regions
and services (see services/web/README.md), and ingest, which the web cannot talk round, judges each event's
place from the record itself: a service's region is the one its latest `service.registered` gave, and an event
that names only a thing (an activity's amendment, a response to feedback, a register, a closing) is where that
thing was recorded. An event about no place (a national one), or about a service coprod has no record of, is
refused to a limited key: it cannot be shown to be inside the limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from shared.auth import ApiKey, NotAllowed

from .store import EventStore

ORIGINS = {
    "activity_id": ("engagement.recorded", "engagement.amended"),
    "feedback_id": ("feedback.received",),
    "session_id": ("training.session_held",),
    "opportunity_id": ("opportunity.published",),
    "commitment_id": ("commitment.signed", "commitment.renewed", "commitment.lapsed"),
}
"""For an event that names a thing, the events that say where that thing is (the last naming a place wins)."""
Place = tuple[str | None, str | None]


async def check_limits(raws: Sequence[Any], key: ApiKey, store: EventStore) -> None:
    if found := await outside_limits(raws, key, store):
        index, why = found[0]
        raise NotAllowed(f"event {index}: {why}")


async def outside_limits(raws: Sequence[Any], key: ApiKey, store: EventStore) -> list[tuple[int, str]]:
    """Each event outside this key's limits, by index, and why."""
    if not key.limited:
        return []
    regions, found = await _service_regions(store), []
    for index, raw in enumerate(raws):
        data = raw.get("data") if isinstance(raw, dict) else None
        if not isinstance(data, dict):
            continue
        service, region = await _place(data, raws[:index], store)
        why = _outside(key, service, region, regions)
        if why is None and raw.get("type") == "service.registered" and service in regions:
            why = _outside(key, service, regions[service], {})  # registering again must not move it out of reach
        if why:
            found.append((index, why))
    return found


def _outside(key: ApiKey, service: str | None, region: str | None, regions: dict[str, str]) -> str | None:
    limits = " and ".join([*(f"region {r}" for r in key.regions or []), *(f"service {s}" for s in key.services
                                                                           or [])]) or "nowhere"
    named = f"the API key {key.name!r} may record only for {limits}"
    if service is not None:
        region = region or regions.get(service)
        if service in (key.services or []) or (region is not None and region in (key.regions or [])):
            return None
        if region is None:
            return f"{named}, and coprod has no record of the service {service!r}, so its region is not known"
        return f"{named}, not for the service {service!r} (region {region})"
    if region is not None:
        return None if region in (key.regions or []) else f"{named}, not for the region {region!r}"
    return f"{named}, and this event names no service or region (a national one, or about nothing recorded)"


async def _place(data: dict[str, Any], earlier: Sequence[Any], store: EventStore) -> Place:
    """The service and region an event is about: its own, or those of the thing it names."""
    service, region = _text(data.get("service_id")), _text(data.get("region"))
    if service or region:
        return service, region
    for name, origins in ORIGINS.items():
        if (thing := _text(data.get(name))) is not None:
            found = [raw.get("data") or {} for raw in earlier if isinstance(raw, dict) and raw.get("type") in origins]
            found = [d for d in found if isinstance(d, dict) and d.get(name) == thing]
            stored = await store.holding(origins, f'"{name}":{orjson.dumps(thing).decode()}')
            datas = [orjson.loads(e.body).get("data") or {} for e in stored] + found
            return _latest(d for d in datas if d.get(name) == thing)
    return None, None


def _latest(datas: Any) -> Place:
    service = region = None
    for data in datas:
        if data.get("service_id") or data.get("region"):
            service, region = _text(data.get("service_id")), _text(data.get("region"))
    return service, region


async def _service_regions(store: EventStore) -> dict[str, str]:
    """Each service's region as the record last registered it."""
    stored = [orjson.loads(e.body).get("data") or {} for e in await store.holding(["service.registered"])]
    return {str(d["service_id"]): str(d["region"]) for d in stored
            if isinstance(d, dict) and d.get("service_id") and d.get("region")}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
