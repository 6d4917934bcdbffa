"""How every service serves HTTP: uvicorn, logging through coprod's one format (never uvicorn's own, which
colours its lines and logs every request)."""

from __future__ import annotations

from typing import Any

from .logs import configure_logging
from .settings import CommonSettings


def serve(service: str, app: Any, settings: CommonSettings, port: int, **options: Any) -> None:
    import uvicorn

    configure_logging(service, settings.log_level, settings.log_format)
    uvicorn.run(app, host=settings.host, port=port, log_config=None, access_log=False, **options)
