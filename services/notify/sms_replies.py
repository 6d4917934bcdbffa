"""Replies to text messages, as the SMS gateway passes them on: STOP stops the text messages.

`POST /v1/sms/replies` with `{"from": "+447700900123", "text": "STOP"}` and `Authorization: Bearer
COPROD_SMS_INBOUND_TOKEN`. Without that setting the route takes nothing. The number is looked for among the
champions' sealed contacts (opened here, never logged or echoed)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field

from shared.events.champions import Channel
from shared.openapi import problem_responses
from shared.problems import Problem

from . import store
from .contacts import uk_or_e164
from .runtime import Runtime, runtime
from .tables import contacts
from .taking_part import change_preferences

router = APIRouter(prefix="/v1", tags=["notify"])
RuntimeDep = Annotated[Runtime, Depends(runtime)]
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "CANCEL", "OPTOUT"}


class Reply(BaseModel):
    model_config = ConfigDict(populate_by_name=True, hide_input_in_errors=True)
    sender: str = Field(alias="from", max_length=40, description="the number the reply came from")
    text: str = Field(max_length=2000)


class ReplyTaken(BaseModel):
    stopped: bool = Field(description="true: the text messages to this number are stopped")


@router.post("/sms/replies", responses=problem_responses(401, 404, 422))
async def sms_reply(
    reply: Reply, request: Request, rt: RuntimeDep, authorization: Annotated[str | None, Header()] = None
) -> ReplyTaken:
    """A reply from the SMS gateway; STOP (or STOPALL, UNSUBSCRIBE, END, QUIT, CANCEL) stops the text messages."""
    expected = request.app.state.settings.sms_inbound_token
    if expected is None:
        raise Problem(404, "replies by text message are not set up (COPROD_SMS_INBOUND_TOKEN)")
    if not hmac.compare_digest(authorization or "", f"Bearer {expected.get_secret_value()}"):
        raise Problem(401, "this is not the SMS gateway's token")
    if reply.text.strip().upper().rstrip(".!") not in STOP_WORDS:
        return ReplyTaken(stopped=False)
    try:
        number = uk_or_e164(reply.sender)
    except ValueError:
        problem = [{"field": "from", "message": "this is not a phone number"}]
        raise Problem(422, "'from' is not a phone number", errors=problem) from None
    return ReplyTaken(stopped=await _stop_texts(rt, number))


async def _stop_texts(rt: Runtime, number: str) -> bool:
    async with rt.engine.begin() as conn:
        rows = await conn.execute(contacts.select())
        holders = [row.champion_id for row in rows if rt.sealer.open(row.sealed).phone == number]
        champions = await store.load_champions(conn, holders)
        for champion in champions.values():
            if Channel.sms in champion.channels:
                left = [c.value for c in champion.channels if c is not Channel.sms]
                await change_preferences(conn, champion.champion_id, {"channels": left}, rt.clock.now(), rt.timetable)
    return bool(holders)
