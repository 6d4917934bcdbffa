"""Settings every service reads from `COPROD_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .auth import ApiKey
from .streams import DEFAULT_PREFIX


class CommonSettings(BaseSettings):
    """What all three services share. Each service subclasses this with its own port and store."""

    model_config = SettingsConfigDict(env_prefix="COPROD_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    redis_url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = DEFAULT_PREFIX
    data_dir: Path = Path(".coprod")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; default: a SQLite file per service under data_dir"
    )
    database_schema: str | None = Field(default=None, description="PostgreSQL schema for this service's tables")
    api_keys: list[ApiKey] = Field(default_factory=list, description="JSON list of API keys and what each may do")
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    ingest_url: str = Field(
        default="http://127.0.0.1:8001",
        description="where ingest answers, one address or several separated by commas (other services read the "
        "event log and send events there, going to the next address when one does not answer)",
    )
    service_api_key: SecretStr | None = Field(
        default=None, description="the key projections and notify use to call ingest"
    )

    def database_url_for(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{service}.db').resolve()}"

    @field_validator("api_keys")
    @classmethod
    def _no_empty_keys(cls, keys: list[ApiKey]) -> list[ApiKey]:
        for key in keys:
            if len(key.key.get_secret_value()) < 16:
                raise ValueError(f"the API key called {key.name!r} is shorter than 16 characters")
        return keys


__all__ = ["CommonSettings", "SecretStr"]
