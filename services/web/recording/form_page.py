"""One template for the forms that are a list of fields (commitments, services, opportunities, uploads), and one
for their confirmations, so each of them shows errors, kept values and 'Nothing was recorded' the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..clients.ingest import Outcome
from ..pages.render import page
from .fields import Reading

Kind = Literal["date", "text", "textarea", "select", "radios", "checkboxes", "number", "time"]


@dataclass(frozen=True)
class Field:
    kind: Kind
    name: str
    label: str
    options: Sequence[tuple[str, str]] = ()
    hint: str | None = None


@dataclass(frozen=True)
class Form:
    title: str
    action: str
    submit: str
    fields: Sequence[Field]
    intro: str | None = None


def form_page(request: Request, form: Form, event_id: str, status_code: int = 200, reading: Reading | None = None,
              not_sent: str | None = None) -> HTMLResponse:
    return page(request, "recording/form.html", status_code, title=form.title, form=form, event_id=event_id,
                errors=reading.errors if reading else {}, values=reading.values if reading else {},
                not_sent=not_sent, date_fields=tuple(f.name for f in form.fields if f.kind == "date"),
                this_year=date.today().year)


def done_page(request: Request, title: str, already: bool, panel: str,
              links: Sequence[tuple[str, str]]) -> HTMLResponse:
    """The confirmation: what was recorded, the figure it changes, and what to do next."""
    return page(request, "recording/done.html", title=title + (" already" if already else "") + " recorded",
                already=already, panel=panel, links=links)


def status_for(refused: str | None) -> int:
    return 403 if refused else 400


def recorded_link(outcome: Outcome) -> list[tuple[str, str]]:
    return [(f"/recorded/{outcome.position}", "See what was recorded")] if outcome.position else []
