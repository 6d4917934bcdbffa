"""Single sign-on against a real OpenID Connect provider (oidc-provider under Node.js): the role and a manager's
regions come from the provider's claims, and a manager's limits hold as they do for a local account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import assert_accessible
from oidc_provider import NO_NODE, node, running_provider
from playwright.sync_api import Browser, Page, expect
from sample import service
from web_system import eventually, running_system, send, summary

from coprod.environment import free_port
from coprod.up import System

pytestmark = pytest.mark.slow
ACCOUNTS = {
    "ada": {"email": "ada.officer@example.org", "roles": ["coprod.officer"]},
    "nia": {"email": "nia.manager@example.org", "roles": "coprod.manager", "coprod_regions": ["north_west"]},
    "sam": {"email": "sam.nobody@example.org", "roles": []},
}


@pytest.fixture(scope="module")
def sso_system(redis_url: str, postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    if node() is None:
        pytest.skip(NO_NODE)
    web_port = free_port()
    redirect = f"http://127.0.0.1:{web_port}/sign-in/sso/callback"
    with running_provider("coprod-web", "web-tests-secret", redirect, ACCOUNTS) as issuer:
        env = {"COPROD_WEB_PORT": str(web_port), "COPROD_OIDC_ISSUER": issuer, "COPROD_OIDC_CLIENT_ID": "coprod-web",
               "COPROD_OIDC_CLIENT_SECRET": "web-tests-secret", "COPROD_OIDC_SCOPES": "openid email coprod",
               "COPROD_OIDC_ROLE_PREFIX": "coprod."}
        with running_system(Path(tmp_path_factory.mktemp("sso")), redis_url, postgres_url, env) as running:
            send(running, [service("nw-1", "north_west", "Oak House"), service("se-1", "south_east", "Birch Lodge")])
            eventually(lambda: summary(running, {})["commitments"]["coverage"]["denominator"] == 2 or None,
                       "both services are counted")
            yield running


@pytest.fixture
def fresh(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def sign_on(page: Page, web: str, login: str, then: str = "/") -> None:
    page.goto(web + then)
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_an_officer_signs_in_through_the_organisation_and_lands_where_they_asked(
    fresh: Page, sso_system: System
) -> None:
    web = sso_system.url("web")
    sign_on(fresh, web, "ada", then="/trends")
    assert fresh.url.startswith(web + "/trends")
    expect(fresh.get_by_text("ada.officer@example.org")).to_be_visible()


def test_a_manager_from_the_provider_cannot_widen_their_region_by_editing_the_url(
    fresh: Page, sso_system: System
) -> None:
    web = sso_system.url("web")
    sign_on(fresh, web, "nia")
    expect(fresh.get_by_text("nia.manager@example.org")).to_be_visible()
    answer = fresh.goto(web + "/?region=south_east")
    assert answer is not None and answer.status == 403
    expect(fresh.get_by_text("cannot see the figures of the region south_east")).to_be_visible()


def test_someone_the_provider_gives_no_role_is_told_what_to_ask_for(fresh: Page, sso_system: System) -> None:
    sign_on(fresh, sso_system.url("web"), "sam")
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Your account cannot see the dashboard yet")
    expect(fresh.get_by_text("coprod.officer, coprod.manager, coprod.viewer")).to_be_visible()
    assert_accessible(fresh)
