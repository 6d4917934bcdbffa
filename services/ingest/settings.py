"""Ingest's settings: its port, its limits, and how the relay paces itself."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from shared.settings import CommonSettings


class IngestSettings(CommonSettings):
    """`COPROD_INGEST_PORT`, `COPROD_RATE_LIMIT_PER_MINUTE` and the rest of ingest's knobs."""

    port: int = Field(default=8001, validation_alias="COPROD_INGEST_PORT")
    max_batch_events: int = 1000
    max_body_bytes: int = 5 * 1024 * 1024
    max_text_characters: int = Field(default=10_000, ge=100, description="longest text ingest takes in any field")
    group_commit_max_events: int = Field(default=5000, description="most events one append transaction takes")
    relay_batch: int = Field(default=500, description="most events the relay publishes in one Redis round trip")
    relay_idle_seconds: float = Field(default=0.25, description="how often the relay looks for appends by others")
    relay_max_backoff_seconds: float = 5.0


@lru_cache
def get_settings() -> IngestSettings:
    return IngestSettings()
