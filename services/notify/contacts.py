"""Champions' contact details: checked on the way in, sealed with Fernet at rest, never shown back."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from cryptography.fernet import Fernet
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from .settings import NotifySettings

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9-]+)+$"
)
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
KEY_FILE = "notify-contact.key"


class ContactDetails(BaseModel):
    """How to reach one champion. Errors name the field and never repeat what was sent."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    email: str | None = None
    phone: str | None = None
    webhook_url: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 254 or not EMAIL.match(value.strip())):
            raise ValueError("this is not an email address")
        return value.strip() if value else None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else uk_or_e164(value)

    @field_validator("webhook_url")
    @classmethod
    def _webhook(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        allowed = {"https", "http"} if (info.context or {}).get("allow_http") else {"https"}
        parts = urlsplit(value)
        if parts.scheme not in allowed or not parts.hostname or len(value) > 2000:
            raise ValueError("a webhook address must be a full https:// address")
        return value


def uk_or_e164(raw: str) -> str:
    number = re.sub(r"[\s().-]", "", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif re.fullmatch(r"0\d{10}", number):
        number = "+44" + number[1:]
    if not E164.match(number):
        raise ValueError("this is not a UK mobile number or an international number starting with +")
    return number


class Sealer:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, details: ContactDetails) -> str:
        return self._fernet.encrypt(orjson.dumps(details.model_dump(exclude_none=True))).decode()

    def open(self, sealed: str) -> ContactDetails:
        return ContactDetails.model_construct(**orjson.loads(self._fernet.decrypt(sealed.encode())))


def contact_key(settings: NotifySettings) -> str:
    """The configured key; in development, one made once and kept under the data dir."""
    if settings.contact_key is not None:
        return settings.contact_key.get_secret_value()
    if settings.environment == "production":
        raise RuntimeError("notify needs COPROD_CONTACT_KEY in production")
    return kept_secret(settings.data_dir / KEY_FILE)


def kept_secret(path: Path) -> str:
    """A development secret made once and kept under the data dir (Fernet keys also do as HMAC secrets)."""
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key
