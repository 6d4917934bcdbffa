"""A local SMTP server that keeps every message it receives as an `.eml` file: the embedded outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class OutboxHandler:
    """aiosmtpd handler: one file per message, named so `ls` lists them in the order they came."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        partial = self.outbox / f".{name}.part"
        partial.write_bytes(raw)
        partial.rename(self.outbox / name)
        return "250 Message accepted for delivery"


class SmtpSink:
    """The SMTP server on 127.0.0.1 in a thread of this process; start and stop at will."""

    def __init__(self, outbox: Path, port: int) -> None:
        self.outbox = outbox
        self.port = port
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(OutboxHandler(self.outbox), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
