"""Contacts in and out, and the delivery log. Nothing here ever echoes a contact detail back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from shared.auth import ApiKey
from shared.http import scoped
from shared.openapi import KEY_REFUSALS, problem_responses
from shared.problems import Problem, plain_message

from . import store
from .api_models import ContactIn, ContactSaved, Deliveries, OnFile
from .champion_ids import champion_token, known_champion_token
from .contacts import ContactDetails
from .deliveries import delivery_log
from .runtime import Runtime, runtime

router = APIRouter(prefix="/v1", tags=["notify"], responses={**KEY_REFUSALS, **problem_responses(422)})
RuntimeDep = Annotated[Runtime, Depends(runtime)]
Admin = Annotated[ApiKey, Depends(scoped("admin"))]
Reader = Annotated[ApiKey, Depends(scoped("read"))]
ChampionId = Annotated[str, Path(min_length=1, max_length=200, description="their id upstream, or their token")]
OpportunityId = Annotated[str, Query(min_length=1, max_length=200)]


@router.put("/champions/{champion_id}/contact", responses=problem_responses(404, 409, 503))
async def put_contact(
    champion_id: ChampionId, body: ContactIn, _: Admin, notify: RuntimeDep, request: Request
) -> ContactSaved:
    """Set how to reach a champion (email, phone, webhook_url); kept encrypted, never shown back. The champion is
    given by their id upstream (as in champion.joined) or by the token coprod's record holds for them."""
    details = _checked(body, request.app.state.settings.allow_private_webhooks)
    async with notify.engine.begin() as conn:
        token = await known_champion_token(conn, notify.relay, champion_id)
        champion = await store.known_champion(conn, token)
        if champion is None:
            raise Problem(404, "notify has not heard of this champion yet (no champion.joined event)")
        if champion.left_on is not None:
            raise Problem(409, "this champion has left the champion group")
        await store.save_contact(conn, token, notify.sealer.seal(details), notify.clock.now())
    on_file = OnFile(**{name: value is not None for name, value in details.model_dump().items()})
    return ContactSaved(champion_id=champion_id, on_file=on_file)


@router.delete(
    "/champions/{champion_id}/contact", status_code=204, response_class=Response, responses=problem_responses(503)
)
async def delete_contact(champion_id: ChampionId, _: Admin, notify: RuntimeDep) -> Response:
    """Forget a champion's contact details for good (the champion given as for PUT); nothing to forget is no error."""
    async with notify.engine.begin() as conn:
        token = await champion_token(conn, notify.relay, champion_id)
        if token is not None:
            await store.erase_contact(conn, token)
    return Response(status_code=204)


@router.get("/notifications")
async def notifications(_: Reader, notify: RuntimeDep, opportunity_id: OpportunityId) -> Deliveries:
    """The delivery log of one opportunity: who, which channel, status, attempts, times."""
    async with notify.engine.connect() as conn:
        return Deliveries.model_validate({"notifications": await delivery_log(conn, opportunity_id=opportunity_id)})


@router.get("/champions/{champion_id}/notifications", responses=problem_responses(404, 503))
async def champion_notifications(champion_id: ChampionId, _: Reader, notify: RuntimeDep) -> Deliveries:
    """The delivery log of one champion (the champion given as for PUT)."""
    async with notify.engine.connect() as conn:
        token = await known_champion_token(conn, notify.relay, champion_id)
        return Deliveries.model_validate({"notifications": await delivery_log(conn, champion_id=token)})


def _checked(body: ContactIn, allow_http: bool) -> ContactDetails:
    try:
        details = ContactDetails.model_validate(body.model_dump(), context={"allow_http": allow_http})
    except ValidationError as error:
        problems = [{"field": ".".join(map(str, e["loc"])), "message": plain_message(e["msg"])} for e in error.errors()]
        raise Problem(422, f"{len(problems)} problem(s) with the contact details", errors=problems) from None
    if details == ContactDetails():
        raise Problem(422, "give an email, phone or webhook_url", errors=[{"field": "body", "message": "empty"}])
    return details
