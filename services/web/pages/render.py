"""Pages from the templates, each with the menu, who is signed in, and the form token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..charts.svg import render as svg
from .formatting import count, day, label, percent

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAV = (
    ("/", "Home"),
    ("/trends", "Trends"),
    ("/where", "Where"),
    ("/commitments", "Commitments"),
    ("/training", "Training"),
    ("/feedback", "Feedback"),
    ("/opportunities", "Opportunities"),
    ("/activities", "Activities"),
    ("/board-pack", "Board pack"),
)

LIVE = {path for path, _ in NAV}  # pages of figures, which live.js refreshes when the figures move


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), undefined=StrictUndefined
    )
    env.filters.update(percent=percent, count=count, day=day, label=label, svg=svg)
    return env


ENV = _environment()


def _nav(request: Request) -> list[dict[str, Any]]:
    if getattr(request.state, "user", None) is None:
        return []
    here, asked = request.url.path, request.url.query
    return [
        {"href": f"{path}?{asked}" if asked else path, "label": text, "current": path == here}
        for path, text in NAV
    ]


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    state = request.state
    defaults = {
        "nav": _nav(request),
        "user": getattr(state, "user", None),
        "csrf_token": getattr(state, "csrf_token", ""),
        "extra_css": None,
        "live": status_code == 200 and request.method == "GET" and request.url.path in LIVE,
    }
    html = ENV.get_template(template).render(**{**defaults, **context})
    return HTMLResponse(html, status_code=status_code)


def problem(request: Request, status_code: int, title: str, message: str, back: str | None = "/") -> HTMLResponse:
    return page(request, "pages/problem.html", status_code, title=title, message=message, back=back, back_text=None)
