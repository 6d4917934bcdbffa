"""Customer feedback and how it was answered."""

from enum import StrEnum

from .base import Date, EventData, FreeText, Id


class FeedbackKind(StrEnum):
    compliment = "compliment"
    comment = "comment"
    suggestion = "suggestion"
    complaint = "complaint"


class FeedbackReceived(EventData):
    feedback_id: Id
    service_id: Id
    received_on: Date
    kind: FeedbackKind
    channel: Id | None = None
    theme: Id | None = None


class FeedbackResponded(EventData):
    feedback_id: Id
    responded_on: Date
    action_taken: bool
    summary: FreeText | None = None
