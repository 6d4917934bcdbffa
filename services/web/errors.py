"""Every refusal as a page in plain words, never a 500: a bad URL, a refused view, figures not available."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from .accounts.access import Refused
from .accounts.signed_in import BadForm
from .clients.projections import FiguresRefused, FiguresUnavailable
from .pages.query import BadQuery
from .pages.render import problem


def install_page_errors(app: FastAPI) -> None:
    @app.exception_handler(BadQuery)
    async def _bad_query(request: Request, error: BadQuery) -> HTMLResponse:
        return problem(request, 400, "Those figures cannot be shown", str(error), back=request.url.path)

    @app.exception_handler(Refused)
    async def _refused(request: Request, error: Refused) -> HTMLResponse:
        return problem(request, 403, "You cannot see those figures", str(error), back=request.url.path)

    @app.exception_handler(BadForm)
    async def _bad_form(request: Request, error: BadForm) -> HTMLResponse:
        return problem(request, 403, "This form cannot be sent", str(error), back=None)

    @app.exception_handler(FiguresRefused)
    async def _figures_refused(request: Request, error: FiguresRefused) -> HTMLResponse:
        return problem(request, 400, "Those figures cannot be shown", str(error), back=request.url.path)

    @app.exception_handler(FiguresUnavailable)
    async def _unavailable(request: Request, error: FiguresUnavailable) -> HTMLResponse:
        message = f"The figures are not available just now: {error}. Try again in a minute."
        return problem(request, 503, "The figures are not available just now", message, back=None)
