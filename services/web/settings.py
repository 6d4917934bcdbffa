"""The dashboard's settings: its port, where projections and ingest answer, its key, sessions and targets."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Self

from pydantic import Field, SecretStr, model_validator

from shared.settings import CommonSettings

from .accounts.sign_on_claims import ClaimNames

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

    oidc_issuer: str | None = Field(
        default=None, description="single sign-on: the OpenID Connect issuer URL (unset: email and password only)")
    oidc_client_id: str | None = Field(default=None, description="single sign-on: the dashboard's client id")
    oidc_client_secret: SecretStr | None = Field(default=None, description="single sign-on: its client secret")
    oidc_scopes: str = Field(default="openid email profile", description="single sign-on: the scopes asked for")
    oidc_email_claim: str = Field(default="email", description="the claim holding someone's email address")
    oidc_role_claim: str = Field(default="roles", description="the claim naming the role: officer, manager or viewer")
    oidc_role_prefix: str = Field(default="", description='what the role claim puts before each role, e.g. "coprod."')
    oidc_regions_claim: str = Field(default="coprod_regions", description="the claim listing a manager's regions")
    oidc_services_claim: str = Field(default="coprod_services", description="the claim listing a manager's services")
    oidc_button: str = Field(default="Sign in with your organisation's account",
                             description="the single sign-on button's words, when it is set up")
    oidc_state_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        description="signs the short-lived cookie that carries a single sign-on from start to return "
        "(default: new each start, which only ends sign-ins in progress)",
    )

    @property
    def claim_names(self) -> ClaimNames:
        return ClaimNames(email=self.oidc_email_claim, role=self.oidc_role_claim, regions=self.oidc_regions_claim,
                          services=self.oidc_services_claim, role_prefix=self.oidc_role_prefix)

    @model_validator(mode="after")
    def _production_is_explicit(self) -> Self:
        if self.environment == "production":
            if self.web_api_key is None:
                raise ValueError("in production the web needs COPROD_WEB_API_KEY, one of the keys in COPROD_API_KEYS")
            if self.dev_sign_in_token is not None:
                raise ValueError("COPROD_DEV_SIGN_IN_TOKEN is for development only; unset it in production")
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("single sign-on needs COPROD_OIDC_CLIENT_ID as well as COPROD_OIDC_ISSUER")
        for name, share in self.targets.items():
            if not 0 <= share <= 1:
                raise ValueError(f"the target for {name} must be a share between 0 and 1 (0.15 for 15%), not {share}")
        return self


@lru_cache
def get_settings() -> WebSettings:
    return WebSettings()
