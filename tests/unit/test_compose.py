"""docker-compose.yml checked against the code, since no Docker engine runs here."""

from __future__ import annotations

import importlib
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic_settings import BaseSettings

from coprod.cli import app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = {
    "ingest": "IngestSettings",
    "projections": "ProjectionsSettings",
    "notify": "NotifySettings",
    "web": "WebSettings",
}
CONTRACT_PATHS = {"/healthz", "/readyz", "/metrics"}
HEALTH_URL = re.compile(r"http://127\.0\.0\.1:(\d+)(/[\w/-]*)")


def service(name: str) -> dict[str, Any]:
    found: dict[str, Any] = COMPOSE["services"][name]
    return found


def settings_class(name: str) -> type[BaseSettings]:
    found: type[BaseSettings] = getattr(importlib.import_module(f"services.{name}.settings"), SERVICES[name])
    return found


def variables_read_by(settings: type[BaseSettings]) -> set[str]:
    prefix = str(settings.model_config.get("env_prefix", ""))
    names = set()
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias
        names.add((alias if isinstance(alias, str) else prefix + field_name).upper())
    return names


def test_the_stores_and_the_three_services_are_there() -> None:
    assert set(COMPOSE["services"]) == {"redis", "postgres", *SERVICES}
    redis_command = " ".join(service("redis")["command"])
    assert "--appendonly yes" in redis_command and "--appendfsync everysec" in redis_command
    assert service("redis")["image"].startswith("redis:7")
    assert service("postgres")["image"].startswith("postgres:16")
    assert service("redis")["volumes"] and service("postgres")["volumes"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_command_is_a_real_coprod_command(name: str) -> None:
    program, command, *_ = service(name)["command"]
    assert program == "coprod"
    assert command in {
        info.name or (info.callback.__name__ if info.callback else "") for info in app.registered_commands
    }
    assert importlib.util.find_spec(f"services.{command}.__main__") is not None, f"no python -m services.{command}"


@pytest.mark.parametrize("name", SERVICES)
def test_every_variable_set_is_a_real_setting(name: str) -> None:
    wanted = {variable for variable in service(name)["environment"] if variable.startswith("COPROD_")}
    unknown = wanted - variables_read_by(settings_class(name))
    assert not unknown, f"{name} is given variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", SERVICES)
def test_every_healthcheck_path_is_served(name: str) -> None:
    check = " ".join(service(name)["healthcheck"]["test"])
    port, path = HEALTH_URL.findall(check)[0]
    assert port == service(name)["environment"][f"COPROD_{name.upper()}_PORT"]
    assert path in CONTRACT_PATHS
    create_app = importlib.import_module(f"services.{name}.app").create_app
    # Without its lifespan the app connects to nothing: a route that exists answers anything but 404.
    answer = TestClient(create_app(settings_class(name)()), raise_server_exceptions=False).get(path)
    assert answer.status_code != 404, f"{name} does not serve {path}"


@pytest.mark.parametrize("name", SERVICES)
def test_services_wait_for_healthy_stores(name: str) -> None:
    needs = service(name)["depends_on"]
    assert needs["redis"]["condition"] == needs["postgres"]["condition"] == "service_healthy"
    if name != "ingest":
        assert needs["ingest"]["condition"] == "service_healthy"


def test_secrets_must_be_set() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in ("POSTGRES_PASSWORD", "COPROD_API_KEYS", "COPROD_SERVICE_API_KEY", "COPROD_CONTACT_KEY"):
        assert re.search(rf"\$\{{{secret}:\?", text), f"{secret} has a default or is missing"


def test_the_image_runs_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "uv.lock" in dockerfile and "--frozen" in dockerfile


def test_docker_compose_accepts_the_file() -> None:
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    env = {
        "POSTGRES_PASSWORD": "p",
        "COPROD_API_KEYS": "[]",
        "COPROD_SERVICE_API_KEY": "k" * 16,
        "COPROD_SMTP_URL": "smtp://mail:25",
        "COPROD_SMTP_FROM": "coprod@example.org",
        "COPROD_CONTACT_KEY": "c",
        "COPROD_WEBHOOK_SECRET": "w",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("docker is installed without the compose plugin")
    done = subprocess.run(["docker", "compose", "config", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
