"""Service Involvement Commitments: signed, renewed, lapsed."""

from .base import Count, Date, EventData, FreeText, Id


class CommitmentSigned(EventData):
    commitment_id: Id
    service_id: Id
    signed_on: Date
    review_due_on: Date | None = None
    customers_signed: Count | None = None
    colleagues_signed: Count | None = None


class CommitmentRenewed(EventData):
    commitment_id: Id
    service_id: Id
    renewed_on: Date
    review_due_on: Date | None = None


class CommitmentLapsed(EventData):
    commitment_id: Id
    service_id: Id
    lapsed_on: Date
    reason: FreeText | None = None
