"""The recording pages' refusals as pages in plain words."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from ..clients.ingest import NotRecorded
from ..pages.render import problem
from .activity_view import NoSuchActivity
from .allowed import MayNotRecord


def install_recording_errors(app: FastAPI) -> None:
    @app.exception_handler(MayNotRecord)
    async def _may_not(request: Request, error: MayNotRecord) -> HTMLResponse:
        return problem(request, 403, "You cannot record activities", str(error))

    @app.exception_handler(NoSuchActivity)
    async def _no_such(request: Request, error: NoSuchActivity) -> HTMLResponse:
        return problem(request, 404, "There is no such activity", str(error))

    @app.exception_handler(NotRecorded)
    async def _away(request: Request, error: NotRecorded) -> HTMLResponse:
        message = f"The record cannot be read just now: {error}. Try again in a minute."
        return problem(request, 503, "The record cannot be read just now", message, back=None)
