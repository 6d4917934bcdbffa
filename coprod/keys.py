"""API keys for the embedded default: the user's own, a development key, and an internal service key."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

ALL_SCOPES = ["write", "read", "admin"]
DEV_KEY_FILE = "dev-api-key"


def new_key(prefix: str) -> str:
    return f"{prefix}-{secrets.token_urlsafe(24)}"


def key_entry(name: str, key: str) -> dict[str, Any]:
    return {"name": name, "key": key, "sources": ["*"], "types": ["*"], "scopes": list(ALL_SCOPES)}


def web_key_entry(key: str) -> dict[str, Any]:
    """The dashboard's own key: it reads the figures and sends what colleagues record, under its own sources."""
    scopes = ["read", "write"]
    return {"name": "coprod-web", "key": key, "sources": ["urn:coprod:web:*"], "types": ["*"], "scopes": scopes}


def dev_key(data_dir: Path) -> str:
    """The development key, made once and kept under the data dir so a second `coprod up` reuses it."""
    path = data_dir / DEV_KEY_FILE
    if path.exists() and len(path.read_text().strip()) >= 16:
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = new_key("dev")
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def parse_user_keys(raw: str | None) -> list[dict[str, Any]]:
    if not raw or not raw.strip():
        return []
    try:
        keys = json.loads(raw)
    except ValueError as error:
        raise SystemExit(f"COPROD_API_KEYS is not valid JSON: {error}") from None
    if not isinstance(keys, list):
        raise SystemExit("COPROD_API_KEYS must be a JSON list of keys")
    return keys


def first_full_key(keys: list[dict[str, Any]]) -> str | None:
    """A user key that may write, read and administer, for the demo loader to use."""
    for entry in keys:
        scopes = entry.get("scopes") or ["write"]
        if all(scope in scopes for scope in ALL_SCOPES) and entry.get("sources", ["*"]) == ["*"]:
            return str(entry["key"])
    return None
