"""Addresses (paths and query strings) with control characters are refused before any route reads them.

No id, date or name coprod takes holds one, and some reach the database as they are: PostgreSQL's text holds no
NUL, so `?service_id=%00` once answered 500. A line break, too, is refused: free text may hold one, an id never.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import Problem, problem_response

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]")


def control_character_in(scope: Scope) -> str | None:
    """'path' or 'query' when that part of the address holds a control character, else None."""
    if _CONTROL.search(scope.get("path", "")):
        return "path"
    query: bytes = scope.get("query_string", b"")
    if query and (_CONTROL_BYTES.search(query) or (b"%" in query and _decoded_holds_control(query))):
        return "query"
    return None


def _decoded_holds_control(query: bytes) -> bool:
    decoded = unquote_to_bytes(query)
    return bool(_CONTROL_BYTES.search(decoded)) or bool(_CONTROL.search(decoded.decode("utf-8", "replace")))


class RefuseControlCharacters:
    """ASGI middleware (a plain one: no per-request task, as ingest's throughput needs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (where := control_character_in(scope)) is not None:
            detail = (f"the address's {where} holds a control character (such as NUL or a line break), which coprod"
                      " does not take")
            await problem_response(Problem(422, detail))(scope, receive, send)
            return
        await self.app(scope, receive, send)
