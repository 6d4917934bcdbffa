"""Production brings its own secrets; development makes a contact key once and keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.notify.contacts import contact_key
from services.notify.settings import NotifySettings


def test_production_refuses_to_start_without_its_keys() -> None:
    with pytest.raises(ValidationError, match="COPROD_CONTACT_KEY"):
        NotifySettings(environment="production", webhook_secret="s")


def test_development_keeps_the_contact_key_it_made(tmp_path: Path) -> None:
    settings = NotifySettings(data_dir=tmp_path)
    assert contact_key(settings) == contact_key(settings) == (tmp_path / "notify-contact.key").read_text().strip()
