"""A real headless Chromium (Debian's) driven by Playwright, with axe-core run on the page as it stands."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
INSTALL = ("no Chromium found: install Debian's (apt-get install chromium) or set COPROD_TEST_CHROMIUM to run the"
           " browser tests")


def chromium_path() -> str | None:
    wanted = os.environ.get("COPROD_TEST_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's findings on the page (WCAG 2.2 AA and best practice), each with where it found them."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)  # through the DevTools protocol, so the page's own CSP still holds for everything else
    found: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG,
    )
    return found


def assert_accessible(page: Page) -> None:
    found = violations(page)
    assert not found, f"axe-core found on {page.url}:\n" + "\n".join(
        f"  {v['id']}: {v['help']} at {', '.join(v['nodes'][:5])}" for v in found
    )


def sign_in(page: Page, base_url: str, account: tuple[str, str], then: str = "/") -> None:
    page.goto(base_url + then)
    page.get_by_label("Email").fill(account[0])
    page.get_by_label("Password").fill(account[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
