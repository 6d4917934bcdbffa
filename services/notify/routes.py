"""Contacts in and out, and the delivery log. Nothing here ever echoes a contact detail back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from shared.auth import ApiKey
from shared.http import scoped

from . import store
from .contacts import ContactDetails
from .deliveries import delivery_log
from .runtime import Runtime, runtime

router = APIRouter(prefix="/v1", tags=["notify"])
RuntimeDep = Annotated[Runtime, Depends(runtime)]
Admin = Annotated[ApiKey, Depends(scoped("admin"))]
Reader = Annotated[ApiKey, Depends(scoped("read"))]


@router.put("/champions/{champion_id}/contact")
async def put_contact(
    champion_id: str, body: Annotated[dict[str, Any], Body()], _: Admin, notify: RuntimeDep, request: Request
) -> JSONResponse:
    """Set how to reach a champion (email, phone, webhook_url); kept encrypted, never shown back."""
    details = _checked(body, request.app.state.settings.allow_private_webhooks)
    async with notify.engine.begin() as conn:
        champion = await store.known_champion(conn, champion_id)
        if champion is None:
            raise HTTPException(404, "notify has not heard of this champion yet (no champion.joined event)")
        if champion.left_on is not None:
            raise HTTPException(409, "this champion has left the champion group")
        await store.save_contact(conn, champion_id, notify.sealer.seal(details), notify.clock.now())
    on_file = {name: value is not None for name, value in details.model_dump().items()}
    return JSONResponse({"champion_id": champion_id, "on_file": on_file})


@router.delete("/champions/{champion_id}/contact", status_code=204)
async def delete_contact(champion_id: str, _: Admin, notify: RuntimeDep) -> Response:
    """Forget a champion's contact details for good."""
    async with notify.engine.begin() as conn:
        await store.erase_contact(conn, champion_id)
    return Response(status_code=204)


@router.get("/notifications")
async def notifications(_: Reader, notify: RuntimeDep, opportunity_id: Annotated[str, Query()]) -> dict[str, Any]:
    """The delivery log of one opportunity: who, which channel, status, attempts, times."""
    async with notify.engine.connect() as conn:
        return {"notifications": await delivery_log(conn, opportunity_id=opportunity_id)}


@router.get("/champions/{champion_id}/notifications")
async def champion_notifications(champion_id: str, _: Reader, notify: RuntimeDep) -> dict[str, Any]:
    """The delivery log of one champion."""
    async with notify.engine.connect() as conn:
        return {"notifications": await delivery_log(conn, champion_id=champion_id)}


def _checked(body: dict[str, Any], allow_http: bool) -> ContactDetails:
    try:
        details = ContactDetails.model_validate(body, context={"allow_http": allow_http})
    except ValidationError as error:
        problems = [{"field": ".".join(map(str, e["loc"])), "problem": _plain(e["msg"])} for e in error.errors()]
        raise HTTPException(422, {"errors": problems}) from None
    if details == ContactDetails():
        raise HTTPException(422, {"errors": [{"field": "body", "problem": "give an email, phone or webhook_url"}]})
    return details


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ").replace("Extra inputs are not permitted", "not a contact field")
