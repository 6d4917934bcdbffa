"""The dashboard over plain HTTP (no browser): the API's numbers, who sees what, sessions and form tokens."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sample import PERIOD
from web_system import FAILED_SIGN_INS_PER_MINUTE, MANAGER, OFFICER, VIEWER, add_user, form_token, signed_in, summary

from coprod.up import System

pytestmark = pytest.mark.slow


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def rate_text(rate: dict[str, int]) -> str:
    return f"{rate['numerator']} of {rate['denominator']} activities co-produced"


def test_home_shows_the_summary_figures_of_the_same_question(system: System) -> None:
    asked = {**PERIOD, "region": "north_west"}
    with signed_in(system, OFFICER) as web:
        page = web.get("/", params=asked)
    assert page.status_code == 200
    rate = summary(system, asked)["engagement"]["coproduction_rate"]
    shown = text_of(page.text)
    assert rate_text(rate) in shown
    assert f"{rate['value'] * 100:.1f}%" in shown
    assert "Target 15.0%" in shown


def test_nobody_signed_in_is_sent_to_sign_in(system: System) -> None:
    answer = httpx.get(system.url("web", "/"), params=PERIOD, timeout=30)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/sign-in?next=%2F%3Ffrom%3D2025-04-01")


def test_a_region_that_does_not_exist_is_refused_plainly(system: System) -> None:
    with signed_in(system, OFFICER) as web:
        page = web.get("/", params={**PERIOD, "region": "atlantis"})
    assert page.status_code == 400
    assert "There is no region called 'atlantis'" in text_of(page.text)


def test_a_manager_cannot_see_another_region_by_editing_the_url(system: System) -> None:
    with signed_in(system, MANAGER) as web:
        theirs = web.get("/", params=PERIOD)
        other = web.get("/", params={**PERIOD, "region": "south_east"})
        other_service = web.get("/", params={**PERIOD, "service_id": "se-1"})
    assert rate_text(summary(system, {**PERIOD, "region": "north_west"})["engagement"]["coproduction_rate"]) in (
        text_of(theirs.text))
    assert other.status_code == other_service.status_code == 403
    national = rate_text(summary(system, PERIOD)["engagement"]["coproduction_rate"])
    south = rate_text(summary(system, {**PERIOD, "region": "south_east"})["engagement"]["coproduction_rate"])
    for refused in (other, other_service):
        assert "Your account cannot see the figures of" in text_of(refused.text)
        assert national not in text_of(refused.text) and south not in text_of(refused.text)
    assert "Birch Lodge" not in theirs.text  # the other region's service is not offered


def test_a_viewer_sees_national_figures_only(system: System) -> None:
    with signed_in(system, VIEWER) as web:
        national = web.get("/", params=PERIOD)
        narrowed = web.get("/", params={**PERIOD, "region": "north_west"})
    assert rate_text(summary(system, PERIOD)["engagement"]["coproduction_rate"]) in text_of(national.text)
    assert narrowed.status_code == 403
    assert "national figures only" in text_of(narrowed.text)


def test_a_wrong_password_is_refused_and_the_email_kept(system: System) -> None:
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        token = form_token(web.get("/sign-in").text)
        answer = web.post("/sign-in", data={"email": OFFICER[0], "password": "not it", "csrf_token": token})
    assert answer.status_code == 400
    assert "The email address or password is not right" in text_of(answer.text)
    assert f'value="{OFFICER[0]}"' in answer.text


def test_a_form_without_its_token_is_refused(system: System) -> None:
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        web.get("/sign-in")
        answer = web.post("/sign-in", data={"email": OFFICER[0], "password": OFFICER[1], "csrf_token": "forged"})
    assert answer.status_code == 403
    assert "coprod_session" not in answer.headers.get("set-cookie", "")
    with signed_in(system, OFFICER) as web:
        assert web.post("/sign-out", data={}).status_code == 403
        assert web.get("/", params=PERIOD).status_code == 200  # still signed in


def test_the_session_cookie_is_http_only_and_same_site_and_sign_out_ends_it(system: System) -> None:
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        token = form_token(web.get("/sign-in").text)
        answer = web.post("/sign-in", data={"email": OFFICER[0], "password": OFFICER[1], "csrf_token": token})
        cookie = answer.headers["set-cookie"].lower()
        assert "coprod_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        stolen = web.cookies["coprod_session"]
        home = web.get("/", params=PERIOD)
        assert web.post("/sign-out", data={"csrf_token": form_token(home.text)}).status_code == 303
    with httpx.Client(base_url=system.url("web"), timeout=30, cookies={"coprod_session": stolen}) as again:
        assert again.get("/", params=PERIOD).status_code == 303


def test_the_one_time_link_signs_in_once(system: System) -> None:
    assert system.keys.sign_in
    link = f"/sign-in/once/{system.keys.sign_in}"
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        first = web.get(link)
        assert first.status_code == 303
        assert web.get("/", params=PERIOD).status_code == 200
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        second = web.get(link)
    assert second.status_code == 400
    assert "This sign-in link has been used or has expired" in text_of(second.text)


def test_users_add_refuses_what_makes_no_sense(system: System) -> None:
    no_limits = add_user(system, "m2@example.org", "long-enough-pass", "--role", "manager")
    assert no_limits.returncode == 2 and "a manager needs at least one --region or --service" in no_limits.stderr
    short = add_user(system, "m3@example.org", "short", "--role", "viewer")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    twice = add_user(system, OFFICER[0].upper(), "long-enough-pass", "--role", "officer")
    assert twice.returncode == 2 and "already has an account" in twice.stderr


def test_health_and_metrics_answer(system: System) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert httpx.get(system.url("web", path), timeout=30).status_code == 200


def test_failed_sign_ins_from_one_address_are_slowed_down(system: System) -> None:
    """Last in the file: it uses up this address's failed sign-ins for a minute."""
    with httpx.Client(base_url=system.url("web"), timeout=30) as web:
        token = form_token(web.get("/sign-in").text)
        wrong = {"email": OFFICER[0], "password": "guessing", "csrf_token": token}
        answers = [web.post("/sign-in", data=wrong) for _ in range(FAILED_SIGN_INS_PER_MINUTE + 1)]
    assert {a.status_code for a in answers[:-1]} <= {400, 429} and answers[-1].status_code == 429
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert "Too many sign-ins from here have failed" in text_of(answers[-1].text)
