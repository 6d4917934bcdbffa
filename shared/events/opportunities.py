"""Involvement opportunities on the Menu of Involvement."""

from enum import StrEnum
from typing import Self

from pydantic import model_validator

from .base import Count, Date, EventData, FreeText, Id, Mode, Moment, Role


class Scope(StrEnum):
    national = "national"
    regional = "regional"
    service = "service"


class OpenTo(StrEnum):
    customers = "customers"
    colleagues = "colleagues"
    both = "both"


class ClosedReason(StrEnum):
    filled = "filled"
    expired = "expired"
    cancelled = "cancelled"


class OpportunityPublished(EventData):
    opportunity_id: Id
    title: FreeText
    summary: FreeText
    scope: Scope
    closes_on: Date
    region: Id | None = None
    service_id: Id | None = None
    topics: list[Id] | None = None
    open_to: OpenTo = OpenTo.both
    mode: Mode | None = None
    starts_at: Moment | None = None
    places: Count | None = None
    accessibility_support: FreeText | None = None
    expenses_paid: bool | None = None
    location: FreeText | None = None
    """Where it happens (a scheme's lounge, an office), or how to join online (a link): never a home address."""
    how_to_take_part: FreeText | None = None
    """How to say "I'm interested" without an account: who to tell (the staff at a scheme, a team), never a
    person's own contact details."""
    customer_group_meeting: bool = False
    """A meeting of the national C&S Customer Group: only a national opportunity can be one."""

    @model_validator(mode="after")
    def _scope_names_its_place(self) -> Self:
        if self.scope is Scope.regional and not self.region:
            raise ValueError("a regional opportunity must name its region")
        if self.scope is Scope.service and not self.service_id:
            raise ValueError("a service opportunity must name its service_id")
        if self.customer_group_meeting and self.scope is not Scope.national:
            raise ValueError("only a national opportunity can be a meeting of the national C&S Customer Group")
        return self


class OpportunityClosed(EventData):
    opportunity_id: Id
    closed_on: Date
    reason: ClosedReason | None = None


class OpportunitySignedUp(EventData):
    opportunity_id: Id
    person_id: Id
    role: Role
    signed_up_on: Date | None = None
    waiting_list: bool | None = None
    """True: every place was taken when the person said yes, so they are on the waiting list, not given a place
    (a later `opportunity.signed_up` for them without it gives them one)."""
