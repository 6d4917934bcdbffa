"""API keys (`COPROD_API_KEYS`): who may send which sources and types, and who may read or administer."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

Scope = Literal["write", "read", "admin"]
COPROD_SOURCES = "urn:coprod:*"
COPROD_TYPES = "notification.*"
"""coprod's own sources and the events its services record (what notify sent): only the internal key sends them."""
WEB_SOURCES = "urn:coprod:web:*"
"""The one part of coprod's own that the web's key sends too: what colleagues record, each under their own source."""


def coprods_own(source: str, event_type: str) -> bool:
    """URNs compare without regard to case (RFC 8141), so `URN:Coprod:notify` is coprod's too."""
    return fnmatchcase(source.lower(), COPROD_SOURCES) or fnmatchcase(event_type, COPROD_TYPES)


def webs_own(source: str, event_type: str) -> bool:
    return fnmatchcase(source.lower(), WEB_SOURCES) and not fnmatchcase(event_type, COPROD_TYPES)


class ApiKey(BaseModel):
    """One key: `sources` and `types` are globs (`urn:cms:*`, `engagement.*`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    key: SecretStr
    sources: list[str] = ["*"]
    types: list[str] = ["*"]
    scopes: list[Scope] = ["write"]
    regions: list[str] | None = None
    """With `services`, the key's limits: when either is set, ingest takes only events about a service in
    `services` or in one of `regions` (a manager's key). Unset, the key is not limited to a place."""
    services: list[str] | None = None
    _internal: bool = PrivateAttr(default=False)
    """Set only by the settings, for the key equal to COPROD_SERVICE_API_KEY: never read from COPROD_API_KEYS."""
    _web: bool = PrivateAttr(default=False)
    """Set only by the settings, for the key equal to COPROD_WEB_API_KEY."""

    @property
    def internal(self) -> bool:
        return self._internal

    def as_internal(self) -> ApiKey:
        copy = self.model_copy()
        copy._internal = True
        return copy

    def as_web(self) -> ApiKey:
        copy = self.model_copy()
        copy._web = True
        return copy

    @property
    def limited(self) -> bool:
        return self.regions is not None or self.services is not None

    @property
    def web_limited(self) -> bool:
        """A limited key for the web's sources alone: the web sends a manager's forms with it, so ingest itself
        checks the manager's places (the web's own key may send anywhere)."""
        return self.limited and bool(self.sources) and all(_under_web(p) for p in self.sources)

    def _owns(self, source: str, event_type: str) -> bool:
        return self._internal or ((self._web or self.web_limited) and webs_own(source, event_type))

    def may_send(self, source: str, event_type: str) -> bool:
        return self.refusal(source, event_type) is None

    def refusal(self, source: str, event_type: str) -> str | None:
        """Why this key may not send `event_type` from `source`, in plain words; None when it may."""
        if coprods_own(source, event_type) and not self._owns(source, event_type):
            return (
                f"only coprod's own services may send {event_type!r} events from source {source!r}"
                f" ({COPROD_TYPES} events and {COPROD_SOURCES} sources are coprod's own record; the web's key"
                f" sends {WEB_SOURCES} alone), whatever the API key {self.name!r} is allowed otherwise"
            )
        if not (_matches(source, self.sources) and _matches(event_type, self.types)):
            return f"the API key {self.name!r} may not send {event_type!r} events from source {source!r}"
        return None


class NotAuthenticated(Exception):
    """401: no key, or a key coprod does not know."""


class NotAllowed(Exception):
    """403: a known key asking for something it may not do."""


def authenticate(header: str | None, keys: Iterable[ApiKey]) -> ApiKey:
    """The key named by an `Authorization: Bearer …` header, compared in constant time."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send your API key as 'Authorization: Bearer <key>'")
    presented = token.strip().encode()
    found = None
    for key in keys:
        if hmac.compare_digest(presented, key.key.get_secret_value().encode()):
            found = key
    if found is None:
        raise NotAuthenticated("this API key is not known to coprod")
    return found


def require_scope(key: ApiKey, scope: Scope) -> None:
    if scope not in key.scopes:
        raise NotAllowed(f"the API key {key.name!r} does not have the {scope!r} scope")


def _under_web(pattern: str) -> bool:
    return pattern.lower().startswith(WEB_SOURCES.removesuffix("*"))


def _matches(value: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(value, pattern) for pattern in patterns)
