"""The projections' settings: port, how the consumer batches and retries, how gaps are filled."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from shared.settings import CommonSettings


class ProjectionsSettings(CommonSettings):
    """`COPROD_PROJECTIONS_PORT`, `COPROD_BATCH_SIZE`, `COPROD_GAP_WAIT_SECONDS` and the rest."""

    port: int = Field(default=8002, validation_alias="COPROD_PROJECTIONS_PORT")
    batch_size: int = Field(default=5000, ge=1, description="most events one read from a stream takes")
    poll_ms: int = Field(default=100, ge=1, description="how long a read from the streams waits for new events")
    claim_idle_ms: int = Field(default=30_000, ge=1, description="a pending entry idle this long is reclaimed")
    max_deliveries: int = Field(default=5, ge=1, description="deliveries before an event goes to the dead letters")
    gap_wait_seconds: float = Field(
        default=2.0, gt=0, description="how long the figures may stay behind the event store before missing events "
        "are fetched from ingest"
    )
    progress_every_seconds: float = Field(default=0.5, gt=0, description="how often the watermark and head move")
    live_generation_ttl_seconds: float = Field(
        default=0.25, gt=0, description="how long the live generation is cached (a rebuild's switch waits this long)"
    )
    fill_page: int = Field(default=5000, ge=1, le=10_000, description="events per page read back from ingest")
    rebuild_batch: int = Field(default=10_000, ge=1, description="events per transaction while rebuilding")


@lru_cache
def get_settings() -> ProjectionsSettings:
    return ProjectionsSettings()
