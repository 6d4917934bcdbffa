"""Settings every service reads from `COPROD_*` environment variables."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .auth import ApiKey
from .logs import LogFormat
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
    rate_limit_per_minute: int = Field(
        default=120_000, ge=1, description="requests each API key (on the dashboard, each address) may make a minute"
    )
    failed_auth_per_minute: int = Field(
        default=300, ge=1, description="requests with a missing or unknown key each client address may make a minute"
    )
    log_level: str = "INFO"
    log_format: LogFormat = Field(
        default="auto", description="text, json, or auto: text on a terminal, JSON lines when written elsewhere"
    )
    host: str = "127.0.0.1"
    ingest_url: str = Field(
        default="http://127.0.0.1:8001",
        description="where ingest answers, one address or several separated by commas (other services read the "
        "event log and send events there, going to the next address when one does not answer)",
    )
    service_api_key: SecretStr | None = Field(
        default=None, description="the key projections and notify use to call ingest"
    )
    web_api_key: SecretStr | None = Field(
        default=None, description="the web's own key: `read` for the figures, `write` to send what colleagues record"
        " (under `urn:coprod:web:` sources, which no other key but the internal one may send)"
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

    @model_validator(mode="after")
    def _mark_coprods_keys(self) -> Self:
        """The key equal to `service_api_key` is coprod's own: the only one that may send coprod's own events; the
        key equal to `web_api_key` may send the web's sources among them."""
        self.api_keys = [_marked(key, self.service_api_key, self.web_api_key) for key in self.api_keys]
        return self


def _marked(key: ApiKey, internal: SecretStr | None, web: SecretStr | None) -> ApiKey:
    if internal is not None and _same(key.key, internal):
        return key.as_internal()
    if web is not None and _same(key.key, web):
        return key.as_web()
    return key


def _same(one: SecretStr, other: SecretStr) -> bool:
    return hmac.compare_digest(one.get_secret_value().encode(), other.get_secret_value().encode())


__all__ = ["CommonSettings", "SecretStr"]
