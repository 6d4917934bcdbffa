"""Contact details checked on the way in, sealed at rest; webhook addresses that are not public refused."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from services.notify.channels.http import is_public
from services.notify.contacts import ContactDetails, Sealer


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("+33612345678", "+33612345678"),
    ],
)
def test_phone_numbers_are_kept_in_e164(given: str, stored: str) -> None:
    assert ContactDetails(phone=given).phone == stored


@pytest.mark.parametrize(
    "details",
    [
        {"email": "nobody"},
        {"phone": "12345"},
        {"webhook_url": "http://hooks.example"},
        {"webhook_url": "ftp://hooks.example"},
    ],
)
def test_wrong_details_are_refused_without_repeating_them(details: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as refused:
        ContactDetails.model_validate(details)
    assert next(iter(details.values())) not in str(refused.value)


def test_http_webhooks_only_when_private_ones_are_allowed() -> None:
    url = "http://127.0.0.1:9000/hook"
    assert ContactDetails.model_validate({"webhook_url": url}, context={"allow_http": True}).webhook_url == url


def test_sealed_details_do_not_show_and_open_again() -> None:
    sealer = Sealer(Fernet.generate_key().decode())
    sealed = sealer.seal(ContactDetails(email="someone@example.org"))
    assert "someone" not in sealed and sealer.open(sealed).email == "someone@example.org"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("2606:4700::1111", True),
    ],
)
def test_only_public_addresses_take_webhooks(address: str, public: bool) -> None:
    assert is_public(address) is public
