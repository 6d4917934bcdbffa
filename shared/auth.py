"""API keys (`COPROD_API_KEYS`): who may send which sources and types, and who may read or administer."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr

Scope = Literal["write", "read", "admin"]


class ApiKey(BaseModel):
    """One key: `sources` and `types` are globs (`urn:cms:*`, `engagement.*`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    key: SecretStr
    sources: list[str] = ["*"]
    types: list[str] = ["*"]
    scopes: list[Scope] = ["write"]

    def may_send(self, source: str, event_type: str) -> bool:
        return _matches(source, self.sources) and _matches(event_type, self.types)


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


def _matches(value: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(value, pattern) for pattern in patterns)
