"""Notify's settings: where alerts go out (SMTP, SMS gateway, webhooks), how often, and the key for contacts."""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from typing import Self

from pydantic import Field, SecretStr, model_validator

from shared.events.base import MOST_ATTEMPTS
from shared.settings import CommonSettings


class NotifySettings(CommonSettings):
    """`COPROD_NOTIFY_PORT`, `COPROD_SMTP_URL`, `COPROD_CONTACT_KEY` and the rest of notify's knobs."""

    port: int = Field(default=8003, validation_alias="COPROD_NOTIFY_PORT")
    smtp_url: str = Field(default="smtp://127.0.0.1:2525", description="smtp://user:pass@host:587?starttls=true")
    smtp_from: str = "coprod alerts <alerts@coprod.invalid>"
    smtp_reply_to: str | None = Field(
        default=None,
        description="where replies to alerts go (the co-production team's mailbox); without it, alerts and their "
        "pages ask people to tell the staff at their service instead of replying",
    )
    smtp_connections: int = Field(default=8, ge=1, description="SMTP connections kept open for sending")
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    allow_private_webhooks: bool = False
    contact_key: SecretStr | None = Field(default=None, description="Fernet key that encrypts contact details")
    max_attempts: int = Field(default=5, ge=1, le=MOST_ATTEMPTS, description="tries at sending one alert")
    retry_base_seconds: float = Field(default=30.0, gt=0)
    lease_seconds: float = Field(default=120.0, gt=0, description="after this a claimed alert may be claimed again")
    dispatch_batch: int = Field(default=500, ge=1)
    send_concurrency: int = Field(default=32, ge=1)
    dispatch_idle_seconds: float = Field(default=1.0, gt=0)
    catch_up_seconds: float = Field(
        default=1.0, gt=0, description="how often notify reads the event store for what Redis did not bring"
    )
    catch_up_page: int = Field(default=5000, ge=1, le=10_000, description="events read from the event store at once")
    public_url: str = Field(default="http://127.0.0.1:8003", description="base of sign-up and stop links")
    link_secret: SecretStr | None = Field(
        default=None, description="signs the personal links in alerts (I'm interested, change how I hear, stop)"
    )
    link_days: int = Field(default=60, ge=1, le=366, description="days a personal link works for")
    personal_links: bool = Field(
        default=True, description="false: alerts link to the shared pages only (the bench's baseline)"
    )
    sms_inbound_token: SecretStr | None = Field(
        default=None, description="bearer token the SMS gateway sends with replies (STOP); without it, none are taken"
    )
    timezone: str = "Europe/London"
    daily_digest_at: time = time(9, 0)
    weekly_digest_weekday: int = Field(default=0, ge=0, le=6, description="0 is Monday")
    weekly_digest_at: time = time(9, 0)

    @model_validator(mode="after")
    def _production_brings_its_secrets(self) -> Self:
        if self.environment == "production":
            missing = [n for n in ("contact_key", "webhook_secret", "link_secret") if getattr(self, n) is None]
            if missing:
                names = ", ".join(f"COPROD_{n.upper()}" for n in missing)
                raise ValueError(f"in production notify needs {names}; it will not make its own")
            if not self.public_url.startswith("https://"):
                raise ValueError("in production COPROD_PUBLIC_URL must be an https:// address (personal links)")
        return self


@lru_cache
def get_settings() -> NotifySettings:
    return NotifySettings()
