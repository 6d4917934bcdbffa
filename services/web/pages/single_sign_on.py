"""Signing in through the organisation's OpenID Connect provider (Entra ID, Google, Keycloak), with Authlib."""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..accounts.sign_on_claims import NoRole, read_claims
from ..accounts.users import from_sign_on
from ..settings import WebSettings
from .render import problem
from .sign_in import signed_in

router = APIRouter()
CALLBACK = "/sign-in/sso/callback"


def provider(settings: WebSettings) -> StarletteOAuth2App | None:
    """The configured provider's client, or None when single sign-on is not set up."""
    if not settings.oidc_issuer:
        return None
    oauth = OAuth()
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    oauth.register("sso", server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
                   client_id=settings.oidc_client_id, client_secret=secret,
                   client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"})
    client: StarletteOAuth2App = oauth.create_client("sso")
    return client


def _client(request: Request) -> StarletteOAuth2App | None:
    return getattr(request.app.state, "sign_on", None)


@router.get("/sign-in/sso")
async def start(request: Request) -> Response:
    """Send the browser to the organisation's sign-in page."""
    client = _client(request)
    if client is None:
        return problem(request, 404, "Single sign-on is not set up",
                       "Sign in with your email and password.", back="/sign-in")
    request.session["next"] = request.query_params.get("next") or "/"
    answer: Response = await client.authorize_redirect(request, str(request.url_for("sso_callback")))
    return answer


@router.get(CALLBACK, name="sso_callback")
async def callback(request: Request) -> Response:
    """The provider sends the browser back here with a code; its claims say who this is and what they may see."""
    client, settings = _client(request), request.app.state.settings
    if client is None:
        return problem(request, 404, "Single sign-on is not set up", "Sign in with your email and password.",
                       back="/sign-in")
    try:
        token = await client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if settings.oidc_role_claim not in claims:
            claims.update(await client.userinfo(token=token))
        person = read_claims(claims, settings.claim_names)
    except OAuthError as error:
        return problem(request, 400, "Your organisation's sign-in did not finish",
                       f"It said: {error.description or error.error}. Try signing in again.", back="/sign-in")
    except NoRole as error:
        return problem(request, 403, "Your account cannot see the dashboard yet", str(error), back="/sign-in")
    user = await from_sign_on(request.app.state.engine, person.email, person.role, person.regions, person.services)
    return await signed_in(request, user.user_id, str(request.session.pop("next", "/")))
