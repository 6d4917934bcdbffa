"""Who is asking: the session cookie read on every request; pages need someone signed in, the rest do not.

Every form carries a token that must match the session's (or, before signing in, a cookie's of its own)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import FormData

from . import sessions

SESSION_COOKIE = "coprod_session"
FORM_COOKIE = "coprod_form"
NO_PERSON = ("/static/", "/healthz", "/readyz", "/metrics", "/menu")  # answered alike for everyone: no session read
OPEN_PATHS = ("/sign-in", *NO_PERSON)


class BadForm(Exception):
    """A form sent without this site's token (403)."""


def is_open(path: str) -> bool:
    return _under(path, OPEN_PATHS)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p if p.endswith("/") else p + "/") for p in prefixes)


async def read_session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    if _under(request.url.path, NO_PERSON):
        return await call_next(request)
    engine: AsyncEngine = request.app.state.engine
    found = await sessions.current(engine, request.cookies.get(SESSION_COOKIE))
    state = request.state
    state.user = found.user if found else None
    state.access = found.user.access if found else None
    fresh_form_token = None
    if found:
        state.csrf_token = found.csrf_token
    else:
        state.csrf_token = request.cookies.get(FORM_COOKIE) or (fresh_form_token := secrets.token_urlsafe(32))
        if not is_open(request.url.path):
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/sign-in?next={quote(wanted, safe='')}", status_code=303)
    response = await call_next(request)
    if fresh_form_token:
        set_cookie(request, response, FORM_COOKIE, fresh_form_token)
    return response


async def checked_form(request: Request) -> FormData:
    """The form, once its token matches; BadForm otherwise."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = getattr(request.state, "csrf_token", "")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise BadForm("This form has expired or did not come from this site. Go back, reload the page and try again.")
    return form
