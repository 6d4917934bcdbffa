"""The dashboard's settings: its port, where projections and ingest answer, its key, sessions and targets."""

from __future__ import annotations

from functools import lru_cache
from typing import Self

from pydantic import Field, SecretStr, model_validator

from shared.settings import CommonSettings

DEFAULT_TARGETS = {"coproduction_rate": 0.15, "commitment_coverage": 0.95}


class WebSettings(CommonSettings):
    """`COPROD_WEB_PORT`, `COPROD_PROJECTIONS_URL`, `COPROD_WEB_API_KEY`, `COPROD_TARGETS` and the rest."""

    port: int = Field(default=8000, validation_alias="COPROD_WEB_PORT")
    projections_url: str = Field(default="http://127.0.0.1:8002", description="where projections answers")
    targets: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_TARGETS),
        description='JSON of figure name to target share, e.g. {"coproduction_rate": 0.15}',
    )
    public_web_url: str | None = Field(
        default=None, description="the address people reach these pages at, for the Menu of Involvement's QR codes "
        "(default: the address the poster was asked for at)",
    )
    session_hours: float = Field(default=8.0, gt=0, description="a sign-in lasts this long")
    dev_sign_in_token: SecretStr | None = Field(
        default=None, description="set by `coprod up` in development: the one-time sign-in link's secret"
    )

    @model_validator(mode="after")
    def _production_is_explicit(self) -> Self:
        if self.environment == "production":
            if self.web_api_key is None:
                raise ValueError("in production the web needs COPROD_WEB_API_KEY, one of the keys in COPROD_API_KEYS")
            if self.dev_sign_in_token is not None:
                raise ValueError("COPROD_DEV_SIGN_IN_TOKEN is for development only; unset it in production")
        for name, share in self.targets.items():
            if not 0 <= share <= 1:
                raise ValueError(f"the target for {name} must be a share between 0 and 1 (0.15 for 15%), not {share}")
        return self


@lru_cache
def get_settings() -> WebSettings:
    return WebSettings()
