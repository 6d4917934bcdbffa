"""Signing in with email and password or a one-time link, and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import FormData

from shared.http import client_address, throttle_of
from shared.ratelimit import RateLimited

from ..accounts import sessions
from ..accounts.passwords import matches
from ..accounts.signed_in import FORM_COOKIE, SESSION_COOKIE, checked_form, set_cookie
from ..accounts.users import find_by_email
from .render import page, problem

router = APIRouter()
Form = Annotated[FormData, Depends(checked_form)]


def _safe_next(wanted: str | None) -> str:
    """Only a path on this site, so a link cannot send someone elsewhere after signing in."""
    if wanted and wanted.startswith("/") and not wanted.startswith(("//", "/\\")):
        return wanted
    return "/"


def _form(request: Request, status_code: int = 200, **context: object) -> HTMLResponse:
    defaults: dict[str, object] = {"errors": {}, "email": "", "next": "/", "signed_out": False,
                                   "sign_on": request.app.state.settings.oidc_button}
    return page(request, "pages/sign_in.html", status_code, title="Sign in", **{**defaults, **context})


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
    """The sign-in form."""
    if request.state.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)  # type: ignore[return-value]
    return _form(request, next=_safe_next(next), signed_out=request.query_params.get("signed-out") == "1")


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, form: Form) -> Response:
    """Check the email and password; start a session."""
    email, password = str(form.get("email") or "").strip(), str(form.get("password") or "")
    wanted = _safe_next(str(form.get("next") or "/"))
    errors = {}
    if not email:
        errors["email"] = "Enter your email address"
    if not password:
        errors["password"] = "Enter your password"
    engine: AsyncEngine = request.app.state.engine
    if not errors:
        async with engine.connect() as conn:
            user = await find_by_email(conn, email)
        if matches(user.password_hash if user else None, password) and user:
            return await signed_in(request, user.user_id, wanted)
        if refused := await _too_many_failures(request):
            return refused
        errors["email"] = "The email address or password is not right"
    return _form(request, 400, errors=errors, email=email, next=wanted)


async def _too_many_failures(request: Request) -> Response | None:
    """Failed sign-ins count against the client's address, as unknown API keys do in the other services."""
    try:
        await throttle_of(request.app).failed_authentication(client_address(request))
    except RateLimited as error:
        message = f"Too many sign-ins from here have failed. Try again in {error.retry_after} seconds."
        answer = problem(request, 429, "Too many failed sign-ins", message, back="/sign-in")
        answer.headers["Retry-After"] = str(error.retry_after)
        return answer
    return None


@router.get("/sign-in/once/{token}", response_class=HTMLResponse)
async def sign_in_once(request: Request, token: str) -> Response:
    """A one-time sign-in link (the development officer's, printed by `coprod up`)."""
    user_id = await sessions.take_link(request.app.state.engine, token)
    if user_id is None:
        message = ("This sign-in link has been used or has expired. Start coprod up again for a new one, "
                   "or sign in with your email and password.")
        return problem(request, 400, "This sign-in link no longer works", message, back="/sign-in")
    return await signed_in(request, user_id, "/")


@router.post("/sign-out")
async def sign_out(request: Request, form: Form) -> Response:
    """End the session here and now."""
    await sessions.end(request.app.state.engine, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/sign-in?signed-out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def signed_in(request: Request, user_id: str, wanted: str) -> Response:
    wanted, hours = _safe_next(wanted), request.app.state.settings.session_hours
    token, _ = await sessions.start(request.app.state.engine, user_id, hours)
    response = RedirectResponse(wanted, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=int(hours * 3600))
    response.delete_cookie(FORM_COOKIE, path="/")
    return response
