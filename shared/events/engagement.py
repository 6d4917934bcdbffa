"""Engagement activities: recorded, amended, withdrawn, and their outcomes."""

from enum import StrEnum

from .base import Count, Date, EventData, FreeText, Id, Mode


class Level(StrEnum):
    """The ladder of co-production, lowest first (coercion is never recorded)."""

    educating = "educating"
    informing = "informing"
    consulting = "consulting"
    engaging = "engaging"
    co_designing = "co_designing"
    co_producing = "co_producing"


class ActivityType(StrEnum):
    meeting = "meeting"
    survey = "survey"
    focus_group = "focus_group"
    consultation = "consultation"
    recruitment_panel = "recruitment_panel"
    service_quality_audit = "service_quality_audit"
    procedure_review = "procedure_review"
    environment_design = "environment_design"
    equality_diversity = "equality_diversity"
    strategy = "strategy"
    newsletter = "newsletter"
    event = "event"
    other = "other"


class EngagementRecorded(EventData):
    activity_id: Id
    occurred_on: Date
    activity_type: ActivityType
    level: Level
    mode: Mode
    service_id: Id | None = None
    region: Id | None = None
    customers_participating: Count | None = None
    colleagues_participating: Count | None = None
    participant_ids: list[Id] | None = None
    topics: list[Id] | None = None
    accessibility_support: FreeText | None = None
    summary: FreeText | None = None


class EngagementAmended(EventData):
    """Only the fields that change are sent; the rest stay as they were."""

    activity_id: Id
    occurred_on: Date | None = None
    activity_type: ActivityType | None = None
    level: Level | None = None
    mode: Mode | None = None
    service_id: Id | None = None
    region: Id | None = None
    customers_participating: Count | None = None
    colleagues_participating: Count | None = None
    participant_ids: list[Id] | None = None
    topics: list[Id] | None = None
    accessibility_support: FreeText | None = None
    summary: FreeText | None = None


class EngagementWithdrawn(EventData):
    activity_id: Id
    reason: FreeText


class EngagementOutcomeRecorded(EventData):
    activity_id: Id
    outcome: FreeText
    communicated_on: Date
