"""Passwords hashed with Argon2id (argon2-cffi's defaults, which follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DECOY = HASHER.hash("not anybody's password")
SHORTEST = 12


def hashed(password: str) -> str:
    return HASHER.hash(password)


def matches(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DECOY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def weakness(password: str) -> str | None:
    """Why a new password will not do, in plain words; None when it will."""
    if len(password) < SHORTEST:
        return f"the password must be at least {SHORTEST} characters long"
    return None
