"""What the embedded default decides: where state lives, which ports, and each service's environment."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .catalogue import DEFAULT_PORTS
from .keys import dev_key, key_entry, new_key, parse_user_keys, web_key_entry

DEFAULT_REDIS_PORT = 6390
DEFAULT_SMTP_PORT = 2525


def data_dir_from(env: Mapping[str, str]) -> Path:
    return Path(env.get("COPROD_DATA_DIR") or ".coprod").resolve()


def service_ports(env: Mapping[str, str]) -> dict[str, int]:
    """The APIs keep the ports others are written against (coprod up stops when one is taken); the dashboard,
    which people reach from the link coprod up prints, takes any free port when 8000 is taken."""
    ports = {name: int(env.get(f"COPROD_{name.upper()}_PORT") or port) for name, port in DEFAULT_PORTS.items()}
    return ports | {"web": chosen_port(env, "COPROD_WEB_PORT", DEFAULT_PORTS["web"])}


def port_is_free(port: int) -> bool:
    """Free for a server: like the servers, ignore connections of a stopped one still in TIME_WAIT."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chosen_port(env: Mapping[str, str], variable: str, default: int) -> int:
    """The port the user asked for; else the usual one when free; else any free port."""
    if asked := env.get(variable):
        return int(asked)
    return default if port_is_free(default) else free_port()


@dataclass(frozen=True)
class Keys:
    """The keys the services accept; `dev` is None when the user brought their own."""

    api_keys_json: str
    internal: str
    dev: str | None
    web: str = ""
    sign_in: str | None = None


def keys_for(env: Mapping[str, str], data_dir: Path) -> Keys:
    user_keys = parse_user_keys(env.get("COPROD_API_KEYS"))
    dev = None if user_keys else dev_key(data_dir)
    internal = new_key("internal")
    keys = user_keys or [key_entry("development", dev or "")]
    web = new_key("web")
    keys = [*keys, key_entry("coprod-internal", internal), web_key_entry(web)]
    sign_in = None if env.get("COPROD_ENVIRONMENT") == "production" else new_key("sign-in")
    return Keys(json.dumps(keys), internal, dev, web, sign_in)


def service_env(
    base: Mapping[str, str],
    data_dir: Path,
    ports: Mapping[str, int],
    redis_url: str,
    smtp_url: str,
    keys: Keys,
) -> dict[str, str]:
    """The environment all three services run with: the user's, plus what the embedded default provides."""
    env = dict(base)
    env.update(
        {
            "COPROD_DATA_DIR": str(data_dir),
            "COPROD_REDIS_URL": redis_url,
            "COPROD_SMTP_URL": smtp_url,
            "COPROD_INGEST_URL": f"http://127.0.0.1:{ports['ingest']}",
            "COPROD_SERVICE_API_KEY": keys.internal,
            "COPROD_API_KEYS": keys.api_keys_json,
            "COPROD_PROJECTIONS_URL": f"http://127.0.0.1:{ports['projections']}",
            "COPROD_WEB_API_KEY": keys.web,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({f"COPROD_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.setdefault("COPROD_PUBLIC_URL", f"http://127.0.0.1:{ports['notify']}")
    env.setdefault("COPROD_LOG_FORMAT", "text")  # coprod up tags each line with its service; JSON when asked
    if keys.sign_in:
        env["COPROD_DEV_SIGN_IN_TOKEN"] = keys.sign_in
    return env


def outside_env() -> dict[str, str]:
    return dict(os.environ)
