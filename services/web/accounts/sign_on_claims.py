"""What an OpenID Connect provider says of someone, read as a role and limits by the configured claim names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .access import ROLES, Role


class NoRole(Exception):
    """The provider signed someone in but gave them no dashboard role (403); the message says what to ask for."""


@dataclass(frozen=True)
class ClaimNames:
    """Where the provider puts the email, the role and a manager's regions and services."""

    email: str = "email"
    role: str = "roles"
    regions: str = "coprod_regions"
    services: str = "coprod_services"
    role_prefix: str = ""


@dataclass(frozen=True)
class SignedOn:
    email: str
    role: Role
    regions: list[str]
    services: list[str]


def _values(claim: Any) -> list[str]:
    """A claim as a list of strings: providers send one value as a string, several as a list, or a space-separated
    string (as Keycloak can)."""
    if claim is None:
        return []
    if isinstance(claim, str):
        return claim.split()
    if isinstance(claim, list | tuple):
        return [str(value) for value in claim]
    return [str(claim)]


def read_claims(claims: Mapping[str, Any], names: ClaimNames) -> SignedOn:
    """The strongest role named in the role claim (officer, then manager, then viewer), with a manager's limits."""
    email = str(claims.get(names.email) or "").strip().lower()
    if "@" not in email:
        raise NoRole(f"Your organisation's sign-in did not give an email address (the claim {names.email!r}).")
    given = {value.removeprefix(names.role_prefix) for value in _values(claims.get(names.role))
             if value.startswith(names.role_prefix)}
    role = next((r for r in ROLES if r in given), None)
    regions, services = _values(claims.get(names.regions)), _values(claims.get(names.services))
    wanted = ", ".join(names.role_prefix + r for r in ROLES)
    if role is None:
        raise NoRole(f"Your organisation's account {email} has no role for the dashboard. Ask whoever runs sign-in "
                     f"to give you one of {wanted} in the claim {names.role!r}.")
    if role == "manager" and not (regions or services):
        raise NoRole(f"Your account {email} is a manager with no regions or services. Ask whoever runs sign-in to "
                     f"add them in the claims {names.regions!r} or {names.services!r}.")
    if role != "manager":
        regions, services = [], []
    return SignedOn(email, role, regions, services)
