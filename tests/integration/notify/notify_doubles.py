"""Real local servers standing in for the outside world: an SMTP sink and an HTTP endpoint."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from coprod.environment import free_port


@dataclass
class SmtpSink:
    """aiosmtpd on a free port; `refuse[address]` is a list of SMTP replies to give that address first."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, deque[str]] = field(default_factory=dict)
    port: int = field(default_factory=free_port)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if replies := self.refuse.get(address):
            return replies.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    stall: bool = False
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    accepted: Callable[[int], None] | None = None
    """Called with the count so far once a message is kept, before the sender hears "250"."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.stall:  # a message that never gets its reply: the sender is stuck mid-send
            self.stalled.set()
            await asyncio.sleep(3600)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append(message)
        if self.accepted is not None:
            self.accepted(len(self.messages))
        return "250 Message accepted for delivery"

    def text(self, message: EmailMessage, kind: str = "plain") -> str:
        return str(message.get_body((kind,)).get_content()).replace("\r\n", "\n")  # type: ignore[union-attr]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def start_smtp(sink: SmtpSink) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    return controller


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HttpDouble:
    """A real HTTP server in a thread: records each POST and answers the next status queued for its path."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.statuses: dict[str, deque[int]] = {}
        self.port = free_port()
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                double.received.append(Received(self.path, dict(self.headers), body))
                queued = double.statuses.get(self.path)
                self.send_response(queued.popleft() if queued else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def __enter__(self) -> HttpDouble:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
