"""Record: every form, in one list, for those allowed to record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ..accounts.access import Access
from ..pages.render import page
from .allowed import recorder

router = APIRouter()
FORMS = (
    ("What happened", (("/activities/new", "Record an activity"), ("/feedback/new", "Record feedback"),
                       ("/training/new", "Record a training session and its register"))),
    ("Service Involvement Commitments", (("/commitments/signed", "A commitment signed"),
                                         ("/commitments/renewed", "A commitment renewed"),
                                         ("/commitments/lapsed", "A commitment lapsed"))),
    ("Services", (("/services/new", "Register a service"), ("/services/close", "A service closed"))),
    ("The Menu of Involvement", (("/opportunities/new", "Publish an opportunity"),
                                 ("/opportunities/close", "Close an opportunity"))),
    ("Many at once", (("/upload", "Upload a spreadsheet (CSV or Excel)"),)),
)


@router.get("/record", response_class=HTMLResponse)
async def record_hub(request: Request, access: Annotated[Access, Depends(recorder)]) -> HTMLResponse:
    """Every recording form."""
    return page(request, "recording/hub.html", title="Record", groups=FORMS)
