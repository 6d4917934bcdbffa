"""The dashboard's pages over plain HTTP (no browser): the same numbers as the API, refusals in plain words."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sample import PERIOD
from web_system import summary

from coprod.up import System

pytestmark = pytest.mark.slow


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_home_shows_the_summary_figures_of_the_same_question(system: System) -> None:
    asked = {**PERIOD, "region": "north_west"}
    page = httpx.get(system.url("web", "/"), params=asked, timeout=30)
    assert page.status_code == 200
    figures = summary(system, asked)
    rate = figures["engagement"]["coproduction_rate"]
    shown = text_of(page.text)
    assert f"{rate['numerator']} of {rate['denominator']} activities co-produced" in shown
    assert f"{rate['value'] * 100:.1f}%" in shown
    assert "Target 15.0%" in shown


def test_a_region_that_does_not_exist_is_refused_plainly(system: System) -> None:
    page = httpx.get(system.url("web", "/"), params={**PERIOD, "region": "atlantis"}, timeout=30)
    assert page.status_code == 400
    assert "There is no region called 'atlantis'" in text_of(page.text)


def test_health_and_metrics_answer(system: System) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert httpx.get(system.url("web", path), timeout=30).status_code == 200
