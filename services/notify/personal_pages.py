"""The pages personal links open: "I'm interested", "Change how I hear from you", "Stop these messages".

Opening a page changes nothing (mail scanners open every link); each asks for one tap, a POST to the same
address. A link that is forged or has run out says so and changes nothing. A page shows the opportunity's public
details and the champion's own choices, never anyone's contact details. Each page comes in the champion's format,
or the one chosen with `?format=` (standard, easy read, large print), and works without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse

from shared.events.champions import Format

from . import store
from .champions import Champion
from .links import Action, Link, LinkRefused
from .pages import renderer_of
from .preferences_form import CADENCES, CHANNELS, FORMATS, HOURS, Choices, read_form
from .runtime import Runtime, runtime
from .taking_part import SignedUp, change_preferences, sign_up

router = APIRouter(tags=["personal links"])
RuntimeDep = Annotated[Runtime, Depends(runtime)]
Token = Annotated[str, Path(max_length=1000, description="the signed token from the alert")]
REFUSED = {"forged": 400, "expired": 410, "left": 410}
PAGE: dict[int | str, dict[str, Any]] = {
    code: {"description": why, "content": {"text/html": {}}}
    for code, why in ((400, "The link is not one of ours"), (410, "The link has run out"))
}


class Refused(Exception):
    def __init__(self, why: str) -> None:
        self.why = why


@router.get("/yes/{token}", response_class=HTMLResponse, responses=PAGE)
async def interested(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """An opportunity, with one button to say "I'm interested"; opening it records nothing."""
    return await _answer(request, rt, Action.interested, token, _interested_page)


@router.post("/yes/{token}", response_class=HTMLResponse, responses=PAGE)
async def say_yes(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Records `opportunity.signed_up` (a place, or the waiting list when every place is taken), once."""
    return await _answer(request, rt, Action.interested, token, _signed_up_page)


@router.get("/choose/{token}", response_class=HTMLResponse, responses=PAGE)
async def choices(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """The champion's choices: channels, format, how often, quiet hours, interests, region."""
    return await _answer(request, rt, Action.preferences, token, _choices_page)


@router.post("/choose/{token}", response_class=HTMLResponse, responses={**PAGE, 422: {"description": "a problem"}})
async def save_choices(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Records `champion.preferences_updated`; the next alert follows it."""
    return await _answer(request, rt, Action.preferences, token, _saved_page)


@router.get("/stop/{token}", response_class=HTMLResponse, responses=PAGE)
async def stop_page(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """One button to stop every message; opening it stops nothing."""
    return await _answer(request, rt, Action.stop, token, _stop_page)


@router.post("/stop/{token}", response_class=HTMLResponse, responses=PAGE)
async def stop(token: Token, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Stops every message (records `champion.preferences_updated` with no channels). Also the one-click
    unsubscribe of RFC 8058: a mail program posts `List-Unsubscribe=One-Click` here, with no page and no other
    token."""
    return await _answer(request, rt, Action.stop, token, _stopped_page)


async def _answer(request: Request, rt: Runtime, action: Action, token: str, page: Any) -> HTMLResponse:
    try:
        link = rt.links.read(action, token)
        champion = await _champion(rt, link)
    except (LinkRefused, Refused) as refused:
        return _render(request, "pages/link_refused.html", _format(request, None), REFUSED[refused.why],
                       why=refused.why, days=request.app.state.settings.link_days)
    response: HTMLResponse = await page(request, rt, link, champion, token)
    return response


async def _champion(rt: Runtime, link: Link) -> Champion:
    async with rt.engine.connect() as conn:
        champion = await store.known_champion(conn, link.champion_id)
    if champion is None or not champion.active_on(rt.clock.now().astimezone(rt.timetable.zone).date()):
        raise Refused("left")
    return champion


async def _interested_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    opportunity_id = str(link.opportunity_id)
    async with rt.engine.connect() as conn:
        row = (await store.load_opportunities(conn, [opportunity_id])).get(opportunity_id)
        earlier = await store.sign_up_of(conn, opportunity_id, champion.champion_id)
    fmt = _format(request, champion)
    if row is None or row.published is None:
        return _render(request, "pages/missing.html", fmt, 404)
    state = None if earlier is None else SignedUp.already_waiting if earlier else SignedUp.already
    return _render(request, "pages/yes.html", fmt, o=renderer_of(request).describe(row.published),
                   closed=row.closed_on is not None, state=state, action=request.url.path)


async def _signed_up_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    opportunity_id = str(link.opportunity_id)
    async with rt.engine.begin() as conn:
        result = await sign_up(conn, champion, opportunity_id, rt.clock.now(), rt.timetable)
        row = (await store.load_opportunities(conn, [opportunity_id])).get(opportunity_id)
    fmt = await _format_of_form(request, champion)
    if row is None or row.published is None:
        return _render(request, "pages/missing.html", fmt, 404)
    return _render(request, "pages/signed_up.html", fmt, o=renderer_of(request).describe(row.published), state=result)


async def _choices_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    async with rt.engine.connect() as conn:
        shown = Choices.of(champion, await store.known_regions(conn), await store.known_topics(conn))
    fmt = _format(request, champion)
    return _choices(request, fmt, shown, 200)


async def _saved_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    async with rt.engine.connect() as conn:
        shown = Choices.of(champion, await store.known_regions(conn), await store.known_topics(conn))
    sent, changes = read_form(await request.form(), shown)
    if sent.errors:
        return _choices(request, _format(request, champion), sent, 422)
    async with rt.engine.begin() as conn:
        await change_preferences(conn, champion.champion_id, changes, rt.clock.now(), rt.timetable)
    return _render(request, "pages/saved.html", Format(sent.format), choices=sent, labels=_labels())


async def _stop_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    fmt = _format(request, champion)
    return _render(request, "pages/stop_link.html", fmt, stopped=champion.stopped, action=request.url.path)


async def _stopped_page(request: Request, rt: Runtime, link: Link, champion: Champion, token: str) -> HTMLResponse:
    already = champion.stopped
    if not already:
        async with rt.engine.begin() as conn:
            await change_preferences(conn, champion.champion_id, {"channels": []}, rt.clock.now(), rt.timetable)
    return _render(request, "pages/stopped.html", await _format_of_form(request, champion), already=already)


def _choices(request: Request, fmt: Format, shown: Choices, status: int) -> HTMLResponse:
    return _render(request, "pages/choose.html", fmt, status, c=shown, labels=_labels(), hours=HOURS,
                   action=request.url.path)


def _labels() -> dict[str, dict[str, str]]:
    return {"channels": CHANNELS, "formats": FORMATS, "cadences": CADENCES}  # type: ignore[dict-item]


def _format(request: Request, champion: Champion | None) -> Format:
    asked = request.query_params.get("format")
    if asked in {f.value for f in Format}:
        return Format(asked)
    return champion.format if champion is not None else Format.standard


async def _format_of_form(request: Request, champion: Champion) -> Format:
    """The format the page was read in (a hidden field of its form), else the champion's own."""
    sent = (await request.form()).get("page_format")
    return Format(sent) if sent in {f.value for f in Format} else _format(request, champion)


def _render(request: Request, template: str, fmt: Format, status: int = 200, **context: Any) -> HTMLResponse:
    path = request.url.path
    toggle = [(f, label, f"{path}?{urlencode({'format': f.value})}") for f, label in FORMATS.items()]
    page = renderer_of(request).env.get_template(template).render(
        fmt=fmt.value, easy=fmt is Format.easy_read, toggle=toggle, **context
    )
    return HTMLResponse(page, status_code=status)
