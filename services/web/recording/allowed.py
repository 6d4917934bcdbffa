"""What a colleague may record for: an officer any service (or a national activity), a manager only their regions'
and services', a viewer nothing. The web checks each form against it, whatever the form was edited to say."""

from __future__ import annotations

from datetime import date

from fastapi import Request

from shared.auth import ApiKey

from ..accounts.access import Access
from ..clients.projections import Projections
from ..pages.asked import access_of
from ..pages.dimensions import Dimensions, Service, dimensions
from ..pages.query import Query, financial_year


class MayNotRecord(Exception):
    """This account records nothing (403); the message says why."""


def recorder(request: Request) -> Access:
    access = access_of(request)
    if access.role == "viewer":
        raise MayNotRecord("Your account can see the national figures but not record activities. "
                           "Ask a co-production officer if you need to record what happened at your service.")
    recording_key(request, access)
    return access


def recording_key(request: Request, access: Access) -> str | None:
    """The key a form is sent with: the web's own for an officer (None); for a manager, the key in COPROD_API_KEYS
    limited to exactly their regions and services, so that ingest refuses, too, what the web should have refused.
    A manager without one records nothing: the web's own key would leave the web's check the only one."""
    if access.role == "officer":
        return None
    keys: list[ApiKey] = request.app.state.settings.api_keys
    wanted = (set(access.regions), set(access.services))
    for key in keys:
        if key.web_limited and "write" in key.scopes and (set(key.regions or []), set(key.services or [])) == wanted:
            return key.key.get_secret_value()
    raise MayNotRecord(f"Your account records for {access.describe().removeprefix('manager: ')}, but the dashboard "
                       "holds no recording key limited to exactly those. Ask whoever runs coprod to add one to "
                       "COPROD_API_KEYS (the web's README says how); until then, a co-production officer can record "
                       "for you.")


async def services_for(request: Request, access: Access) -> tuple[Dimensions, list[Service]]:
    projections: Projections = request.app.state.projections
    dims = await dimensions(projections, Query(*financial_year(date.today())))
    mine = [s for s in dims.services.values() if access.may_see_service(s.service_id, s.region)]
    return dims, mine


def refusal(access: Access, dims: Dimensions, service_id: str | None) -> str | None:
    """Why this account may not record for `service_id` (None: a national activity), or None when it may."""
    if access.role == "officer":
        return None
    if service_id is None:
        return "Choose one of your services: only a co-production officer records national activities"
    if not access.may_see_service(service_id, dims.region_of(service_id)):
        return (f"You cannot record for {dims.name_of(service_id)}: your account records for "
                f"{access.describe().removeprefix('manager: ')} only")
    return None


def region_refusal(access: Access, region: str | None) -> str | None:
    """Why this account may not record for `region` (None: every region), or None when it may."""
    if access.role == "officer":
        return None
    if region is None:
        return "Choose one of your regions: only a co-production officer records for every region"
    if not access.may_see_region(region):
        return (f"You cannot record for the region {region}: your account records for "
                f"{access.describe().removeprefix('manager: ')} only")
    return None
