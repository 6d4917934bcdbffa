"""Upload a spreadsheet (CSV or Excel): checked by ingest with `coprod import`'s rules (all or nothing), a preview
listing each bad row and field before anything is stored, then one button that stores every row, once (each
row's event id comes from its content and the colleague, so storing twice stores once)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from shared.events import EVENT_TYPES
from shared.spreadsheet import numbered_csv_rows, numbered_xlsx_rows

from ..accounts.access import Access
from ..accounts.signed_in import checked_form
from ..clients.ingest import Ingest, NotRecorded, source_for
from ..pages.dimensions import Dimensions
from ..pages.query import financial_year
from ..pages.render import page
from .allowed import recorder, recording_key, refusal, services_for

router = APIRouter()
FormDep = Annotated[FormData, Depends(checked_form)]
Recorder = Annotated[Access, Depends(recorder)]
LARGEST = 10 * 2**20
TYPES = [(name, name) for name in EVENT_TYPES if not name.startswith("notification.")]


class Unreadable(ValueError):
    """The file cannot be read as a spreadsheet; the message says why in plain words."""


def _form(request: Request, status_code: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {"title": "Upload a spreadsheet", "types": TYPES, "errors": errors or {},
                                "values": values or {}, "problems": [], "ready": None, "not_sent": None}
    return page(request, "recording/upload.html", status_code, **{**defaults, **context})


def rows_of(upload: UploadFile, content: bytes) -> list[tuple[int, dict[str, str | None]]]:
    name = (upload.filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            return numbered_xlsx_rows(content)
        if name.endswith(".csv"):
            return numbered_csv_rows(io.StringIO(content.decode("utf-8-sig"), newline=""))
    except UnicodeDecodeError:
        raise Unreadable("The file is not a CSV file saved as UTF-8: in Excel, save it as 'CSV UTF-8'") from None
    except (csv.Error, ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise Unreadable(f"The file cannot be read as a spreadsheet ({error})") from None
    raise Unreadable("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")


def web_problems(rows: list[dict[str, Any]], access: Access, dims: Dimensions) -> list[dict[str, Any]]:
    """The rows naming a service this account may not record for (ingest checks again, by the key)."""
    return [{"line": row["line"], "field": "service_id", "message": why} for row in rows
            if (service := row["cells"].get("service_id")) and (why := refusal(access, dims, service.strip()))]


@router.get("/upload", response_class=HTMLResponse)
async def upload_page(request: Request, access: Recorder) -> HTMLResponse:
    """Choose a spreadsheet and what each row records."""
    return _form(request)


async def _checked(request: Request, access: Access, event_type: str, rows: list[dict[str, Any]],
                   store: bool) -> dict[str, Any]:
    ingest: Ingest = request.app.state.ingest
    body = {"type": event_type, "source": source_for(request.state.user.user_id), "rows": rows, "store": store}
    found = await ingest.rows(body, recording_key(request, access))
    dims, _ = await services_for(request, access)
    found["problems"] = sorted([*web_problems(rows, access, dims), *found["problems"]], key=lambda p: p["line"])
    return found


@router.post("/upload", response_class=HTMLResponse)
async def preview(request: Request, access: Recorder, form: FormDep) -> HTMLResponse:
    """Check every row and show the problems, or how many rows are ready to store; nothing is stored."""
    event_type, upload = str(form.get("event_type") or ""), form.get("file")
    values, errors = {"event_type": event_type}, {}
    if event_type not in dict(TYPES):
        errors["event_type"] = "Choose what each row of the spreadsheet records"
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "Choose the spreadsheet to upload"
    elif (content := await upload.read(LARGEST + 1)) and len(content) > LARGEST:
        errors["file"] = f"The file must be smaller than {LARGEST // 2**20} MB: split it into smaller files"
    else:
        try:
            numbered = rows_of(upload, content)
        except Unreadable as error:
            errors["file"] = str(error)
        else:
            if not numbered:
                errors["file"] = "The file has a heading row but no rows under it"
    if errors:
        return _form(request, 400, errors, values)
    rows = [{"line": line, "cells": cells} for line, cells in numbered]
    try:
        found = await _checked(request, access, event_type, rows, store=False)
    except NotRecorded as error:
        return _form(request, 503, values=values, not_sent=str(error))
    if found["problems"]:
        return _form(request, 400, values=values, problems=_shown(found["problems"]), rows=len(rows),
                     filename=upload.filename if isinstance(upload, UploadFile) else "")
    return _form(request, values=values, ready={"rows": len(rows), "data": json.dumps(rows)},
                 filename=upload.filename if isinstance(upload, UploadFile) else "")


def _shown(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**p, "field": str(p["field"]).removeprefix("data.")} for p in problems]


@router.post("/upload/store", response_class=HTMLResponse)
async def store(request: Request, access: Recorder, form: FormDep) -> HTMLResponse:
    """Store every row of the checked spreadsheet, or none: sent twice, it is stored once."""
    event_type = str(form.get("event_type") or "")
    try:
        rows = json.loads(str(form.get("rows") or ""))
        assert isinstance(rows, list) and event_type in dict(TYPES)
    except (ValueError, AssertionError):
        return _form(request, 400, {"file": "The checked spreadsheet did not come back whole: upload it again"})
    try:
        found = await _checked(request, access, event_type, rows, store=True)
    except NotRecorded as error:
        return _form(request, 503, values={"event_type": event_type}, not_sent=str(error))
    if found["problems"]:
        return _form(request, 400, values={"event_type": event_type}, problems=_shown(found["problems"]),
                     rows=len(rows), filename="")
    start, end = financial_year(date.today())
    return page(request, "recording/uploaded.html", title="Spreadsheet stored", accepted=found["accepted"],
                duplicate=found["duplicate"], figure_link=f"/?from={start}&to={end}",
                register_link=f"/activities?from={start}&to={end}")
