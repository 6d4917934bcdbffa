"""The web ASGI app: its lifespan is the composition root (its own store, and HTTP clients of the other APIs)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware.sessions import SessionMiddleware

from shared.db import make_engine
from shared.http import health_router, throttle_by_address

from .accounts import sessions
from .accounts.signed_in import read_session
from .accounts.users import development_officer
from .clients.ingest import Ingest
from .clients.projections import Projections
from .errors import install_page_errors
from .menu import pages as menu_pages
from .metrics import Metrics
from .migrate import upgrade
from .pages import (
    activities,
    board_pack,
    commitments,
    easy_read_pack,
    feedback,
    home,
    live,
    opportunities,
    sign_in,
    single_sign_on,
    training,
    trends,
    where,
)
from .recording import (
    activity_pages,
    activity_view,
    change_pages,
    commitment_pages,
    feedback_pages,
    hub,
    opportunity_pages,
    outcome_pages,
    record_pages,
    service_pages,
    training_pages,
    upload_pages,
)
from .recording.errors import install_recording_errors
from .security_headers import add_security_headers
from .settings import WebSettings

STATIC = Path(__file__).resolve().parent / "static"
PAGES = (sign_in, single_sign_on, live, home, trends, where, commitments, training, feedback, opportunities, activities,
         board_pack, easy_read_pack, activity_pages, change_pages, outcome_pages, activity_view, feedback_pages,
         training_pages, menu_pages, commitment_pages, service_pages, opportunity_pages, record_pages, hub,
         upload_pages)
DEV_LINK_HOURS = 24


def create_app(settings: WebSettings) -> FastAPI:
    app = FastAPI(title="coprod dashboard", version="1", lifespan=_lifespan, docs_url=None, redoc_url=None)
    app.state.settings, app.state.metrics = settings, Metrics()
    app.middleware("http")(read_session)
    app.middleware("http")(app.state.metrics.timed)
    app.middleware("http")(throttle_by_address)
    app.middleware("http")(add_security_headers)
    app.add_middleware(SessionMiddleware, secret_key=settings.oidc_state_secret.get_secret_value(),
                       session_cookie="coprod_sign_on", max_age=600, same_site="lax", path="/sign-in/sso")
    app.state.sign_on = single_sign_on.provider(settings)
    install_page_errors(app)
    install_recording_errors(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in PAGES:
        app.include_router(module.router)
    app.include_router(health_router(lambda: _readiness(app), app.state.metrics.registry))
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: WebSettings = app.state.settings
    engine = make_engine(settings.database_url_for("web"), settings.database_schema)
    await upgrade(engine, settings.database_schema)
    if settings.dev_sign_in_token is not None:
        await _offer_development_link(engine, settings.dev_sign_in_token.get_secret_value())
    key = settings.web_api_key.get_secret_value() if settings.web_api_key else None
    async with httpx.AsyncClient(timeout=30) as client:
        app.state.engine = engine
        app.state.projections = Projections(client, settings.projections_url, key)
        app.state.ingest = Ingest(client, settings.ingest_url, key)
        try:
            yield
        finally:
            await engine.dispose()


async def _offer_development_link(engine: AsyncEngine, token: str) -> None:
    officer = await development_officer(engine)
    await sessions.offer_link(engine, officer.user_id, token, DEV_LINK_HOURS)


async def _readiness(app: FastAPI) -> tuple[bool, dict[str, Any]]:
    engine: AsyncEngine = app.state.engine
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the store means not ready, said in the answer
        return False, {"status": "not ready", "store": f"does not answer: {error}"}
    projections = "answers" if await app.state.projections.ready() else "does not answer yet"
    return True, {"status": "ready", "store": "answers", "projections": projections}


__all__ = ["create_app"]
