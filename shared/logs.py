"""One log format for every service: what a person needs, plain text on a terminal, JSON lines elsewhere."""

from __future__ import annotations

import logging
import sys
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["auto", "text", "json"]

# Loggers that speak for every request or message: heard only when asked for (COPROD_LOG_LEVEL=DEBUG).
CHATTY = ("httpx", "httpcore", "uvicorn.access", "faststream", "aiosqlite", "asyncio", "alembic")


def chosen_format(setting: LogFormat) -> Literal["text", "json"]:
    """`auto` is text for a person at a terminal and JSON for a file or a log collector."""
    if setting != "auto":
        return setting
    return "text" if sys.stderr.isatty() else "json"


def configure_logging(service: str, level: str, setting: LogFormat = "auto") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if chosen_format(setting) == "json":
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                static_fields={"service": service},
                datefmt="%Y-%m-%dT%H:%M:%S%z",
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", datefmt="%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet = logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
