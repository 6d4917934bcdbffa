from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser import INSTALL, chromium_path
from playwright.sync_api import Browser, Page, sync_playwright
from sample import ACTIVITIES_IN_PERIOD, PERIOD, world
from web_system import add_accounts, eventually, running_system, send, summary

from coprod.up import System


def _counted(system: System, sent: int) -> bool | None:
    found = summary(system, PERIOD)
    done = found["as_of"]["position"] >= sent and found["as_of"]["lag"] == 0
    return (done and found["engagement"]["activities"] == ACTIVITIES_IN_PERIOD) or None


@pytest.fixture(scope="session")
def system(redis_url: str, postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One running system for every web test, with the sample world counted (it only reads after this)."""
    with running_system(tmp_path_factory.mktemp("web"), redis_url, postgres_url) as running:
        add_accounts(running)
        events = world()
        send(running, events)
        eventually(lambda: _counted(running, len(events)), "the sample world is counted")
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip(INSTALL)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()
