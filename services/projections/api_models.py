"""The shapes of the KPI answers, for the OpenAPI document: every route's JSON, and its CSV alternative."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .csv import CONTEXT_HEADINGS
from .views import FiltersOut, PeriodOut, Summary
from .views_activities import ActivityRow
from .views_commitments import ServiceCommitment
from .views_customer_group import CustomerGroup
from .views_ladder import LadderRow
from .views_model import Rate
from .views_other import Training
from .views_series import FeedbackRow, OpportunityRow, TrainingRow

APPLIES_TO: dict[str, tuple[str, ...]] = {
    "engagement": ("region", "service_id", "service_type"),
    "commitments": ("region", "service_id", "service_type"),
    "feedback": ("region", "service_id", "service_type"),
    "training": ("region",),
    "champions": ("region",),
    "opportunities": ("region", "service_id"),
    "notifications": (),
}
"""Which filters narrow each set of figures of the summary (and the series that break them down); a filter given for
figures it does not narrow is said in the answer. No filter narrows the others (the Customer Group's)."""


class AsOf(BaseModel):
    """How up to date the figures are: the last event applied, how many are not yet, and when."""

    position: int = Field(examples=[123456])
    lag: int = Field(examples=[0])
    updated_at: str | None = Field(examples=["2026-12-02T09:30:00+00:00"])


class Heading(BaseModel):
    period: PeriodOut
    as_at: date = Field(description="the day status figures are judged on: `to`, or today if `to` is later")
    filters: FiltersOut


class SummaryAnswer(Summary):
    as_at: date = Field(description="the day status figures (services, commitments, due for review, champions, "
                        "open opportunities) are judged on: `to`, or today if `to` is later")
    filters_not_applied: dict[str, list[str]] = Field(
        description="for each set of figures, the filters given that do not narrow it (it counts the whole)",
        examples=[{"training": ["service_type"], "notifications": ["service_type"]}],
    )
    as_of: AsOf


class CoproductionGroup(BaseModel):
    """One group's figures; the group is the member named after `group_by` (`month`, `region`, …), and a group
    by service also has the service's `name`."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "service": "svc-014", "name": "Rosebank Court", "activities": 12, "coproduced": 3,
        "coproduction_rate": {"value": 0.25, "numerator": 3, "denominator": 12},
    }]})

    activities: int
    coproduced: int
    coproduction_rate: Rate
    name: str | None = None


class Series(Heading):
    filters_not_applied: list[str] = Field(description="filters given that do not narrow these figures")
    as_of: AsOf


class CoproductionAnswer(Series):
    group_by: str
    rows: list[CoproductionGroup]


class ActivitiesAnswer(Series):
    rows: list[ActivityRow]


class LadderAnswer(Series):
    rows: list[LadderRow]


class CommitmentsAnswer(Series):
    rows: list[ServiceCommitment]


class TrainingAnswer(Series):
    rows: list[TrainingRow] = Field(description="by month, mode and role: these cannot be summed (a session has "
                                    "customers and colleagues, a person may come in several months)")
    totals: Training = Field(description="the whole period: sessions held, and people trained counted once each")


class FeedbackGroup(FeedbackRow):
    service_name: str | None = None


class FeedbackAnswer(Series):
    rows: list[FeedbackGroup]


class OpportunitiesAnswer(Series):
    rows: list[OpportunityRow]


class CustomerGroupAnswer(Heading, CustomerGroup):
    filters_not_applied: list[str] = Field(description="filters given: none narrows these figures")
    as_of: AsOf


def with_csv(example: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a KPI route: its CSV alternative (`Accept: text/csv` or `?format=csv`); `example` without
    the columns every CSV starts with (`CONTEXT_HEADINGS`)."""
    lines = example.splitlines()
    example = "\n".join([",".join([*CONTEXT_HEADINGS, lines[0]])]
                        + [f"2025-04-01,2026-03-31,2026-03-31,all,all,all,{line}" for line in lines[1:]]) + "\n"
    return {200: {
        "description": "The figures as JSON, or as CSV (`Accept: text/csv` or `?format=csv`)",
        "content": {"text/csv": {"schema": {"type": "string"}, "example": example}},
    }}


def not_applied(sections: tuple[str, ...], given: FiltersOut) -> dict[str, list[str]]:
    asked = [name for name, value in given.model_dump().items() if value is not None]
    found = {section: [n for n in asked if n not in APPLIES_TO.get(section, ())] for section in sections}
    return {section: names for section, names in found.items() if names}
