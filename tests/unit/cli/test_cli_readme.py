import importlib
import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from shared.settings import CommonSettings

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()
SERVICE_SETTINGS = {
    "ingest": "IngestSettings",
    "projections": "ProjectionsSettings",
    "notify": "NotifySettings",
    "web": "WebSettings",
}


def variables(settings: type[BaseSettings]) -> set[str]:
    prefix = str(settings.model_config.get("env_prefix", ""))
    found = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        found.add((alias if isinstance(alias, str) else prefix + name).upper())
    return found


def documented() -> set[str]:
    return set(re.findall(r"^\| `(COPROD_\w+)`", README, re.M))


def test_the_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_every_shared_setting_is_documented() -> None:
    assert variables(CommonSettings) <= documented()


@pytest.mark.parametrize("service", SERVICE_SETTINGS)
def test_every_service_setting_is_documented(service: str) -> None:
    settings = getattr(importlib.import_module(f"services.{service}.settings"), SERVICE_SETTINGS[service])
    missing = variables(settings) - documented()
    assert not missing, f"README's configuration table lacks {sorted(missing)}"


def test_the_embedded_default_variables_are_documented() -> None:
    assert {"COPROD_EMBEDDED_REDIS_PORT", "COPROD_EMBEDDED_SMTP_PORT", "COPROD_DATA_DIR"} <= documented()
