"""panva's oidc-provider (npm, pinned by tests/web/oidc/package-lock.json) run by Node.js as a real OpenID Connect
provider on this machine; `npm ci` installs it the first time."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from waiting import eventually

from coprod.environment import free_port

HERE = Path(__file__).parent / "oidc"
NO_NODE = "no Node.js found: install Debian's (apt-get install nodejs npm) to run the single sign-on tests"


def node() -> str | None:
    return shutil.which("node") if shutil.which("npm") else None


def _installed() -> None:
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=600,
                       capture_output=True)


def _answers(issuer: str) -> bool | None:
    try:
        return httpx.get(issuer + "/.well-known/openid-configuration", timeout=2).status_code == 200 or None
    except httpx.HTTPError:
        return None


@contextlib.contextmanager
def running_provider(client_id: str, secret: str, redirect_uri: str,
                     accounts: dict[str, dict[str, Any]]) -> Iterator[str]:
    """The provider's issuer URL while it runs; each login name in `accounts` signs in with those claims."""
    _installed()
    port = free_port()
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_ACCOUNTS": json.dumps(accounts), "OIDC_CLIENT_ID": client_id,
           "OIDC_CLIENT_SECRET": secret, "OIDC_REDIRECT_URI": redirect_uri}
    process = subprocess.Popen([str(node()), "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    issuer = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: process.poll() is None and _answers(issuer) or (process.poll() is not None) or None,
                   "the OpenID Connect provider answers")
        if process.poll() is not None:
            said = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"the OpenID Connect provider stopped: {said}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
