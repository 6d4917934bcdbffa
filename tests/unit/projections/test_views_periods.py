from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from services.projections.csv import rows_csv, summary_csv
from services.projections.views import financial_year
from services.projections.views_model import Period, Rate
from services.projections.views_rollup import whole_months
from services.projections.views_series import quarter_label


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2025, 4, 1), date(2025, 4, 1), date(2026, 3, 31)),
        (date(2026, 3, 31), date(2025, 4, 1), date(2026, 3, 31)),
        (date(2025, 11, 27), date(2025, 4, 1), date(2026, 3, 31)),
        (date(2026, 1, 5), date(2025, 4, 1), date(2026, 3, 31)),
    ],
)
def test_the_default_period_is_the_financial_year_holding_today(today: date, start: date, end: date) -> None:
    assert financial_year(today) == Period(start, end)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 4, 1), date(2026, 3, 31), (date(2025, 4, 1), date(2026, 3, 1))),
        (date(2025, 4, 2), date(2025, 6, 29), (date(2025, 5, 1), date(2025, 5, 1))),
        (date(2025, 4, 2), date(2025, 5, 30), None),
        (date(2025, 2, 1), date(2025, 2, 28), (date(2025, 2, 1), date(2025, 2, 1))),
        (date(2024, 2, 1), date(2024, 2, 28), None),
        (date(2025, 12, 15), date(2026, 1, 31), (date(2026, 1, 1), date(2026, 1, 1))),
        (date(2025, 6, 10), date(2025, 6, 10), None),
    ],
)
def test_whole_months_are_those_the_period_covers_from_first_to_last_day(
    start: date, end: date, months: tuple[date, date] | None
) -> None:
    assert whole_months(Period(start, end)) == months


@pytest.mark.parametrize(
    ("year", "month", "label"),
    [(2025, 4, "2025-26 Q1"), (2025, 6, "2025-26 Q1"), (2025, 7, "2025-26 Q2"), (2025, 12, "2025-26 Q3"),
     (2026, 1, "2025-26 Q4"), (2026, 3, "2025-26 Q4"), (2099, 4, "2099-00 Q1")],
)
def test_quarters_are_financial_quarters(year: int, month: int, label: str) -> None:
    assert quarter_label(year, month) == label


def test_a_rate_is_rounded_to_four_places_and_zero_over_nothing() -> None:
    assert Rate.of(1, 3) == Rate(value=0.3333, numerator=1, denominator=3)
    assert Rate.of(0, 0) == Rate(value=0, numerator=0, denominator=0)


def test_summary_csv_has_one_row_per_figure_with_rates_as_percentages() -> None:
    body = {
        "period": {"from": "2025-04-01", "to": "2026-03-31"}, "as_at": "2025-12-02",
        "filters": {"region": "north", "service_id": None, "service_type": None},
        "filters_not_applied": {"notifications": ["region"]},
        "engagement": {"activities": 4, "coproduction_rate": {"value": 0.25, "numerator": 1, "denominator": 4},
                       "by_mode": {"face_to_face": 3, "virtual": 1}},
        "commitments": {}, "training": {}, "feedback": {}, "champions": {}, "opportunities": {},
        "notifications": {"sent": 2},
        "as_of": {"position": 7, "lag": 0, "updated_at": None},
    }
    rows = list(csv.reader(io.StringIO(summary_csv(body))))
    assert rows[0] == ["Period from", "Period to", "As at", "Region", "Service", "Service type", "Section", "Figure",
                       "Value", "Numerator", "Denominator"]
    context = ["2025-04-01", "2026-03-31", "2025-12-02", "north", "all", "all"]
    assert [*context, "Engagement", "Co-production rate (%)", "25.0", "1", "4"] in rows
    assert [*context, "Engagement", "By mode: Face to face", "3", "", ""] in rows
    assert [*context, "Up to date", "Last event applied", "7", "", ""] in rows
    unfiltered = ["2025-04-01", "2026-03-31", "2025-12-02", "all (region north does not narrow these figures)", "all",
                  "all"]
    assert [*unfiltered, "Notifications", "Sent", "2", "", ""] in rows


def test_a_series_with_no_rows_still_names_its_columns() -> None:
    body = {"period": {"from": "2025-04-01", "to": "2026-03-31"}, "rows": []}
    text = rows_csv(body, ["region", "activities", "coproduction_rate"], {"coproduction_rate"})
    assert text.splitlines() == [
        "Period from,Period to,As at,Region,Service,Service type,Region,Activities,Co-production rate (%)"
    ]
