"""Browser tests: Debian's Chromium driven by Playwright, axe-core run on every page visited.

Playwright never downloads a browser here: the browser is Debian's (`apt-get install chromium`).
Screenshots of every page checked are saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = (ROOT / "node_modules/axe-core/axe.min.js").read_text()
SHOTS = ROOT / "test-artifacts/screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls that
    # fixtures make here are still synchronous and safe. Set only when browsers run.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run scripts/install-system-packages.sh browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class SettlingPage:
    """A Playwright page whose ``click`` returns only once any page it loads has been parsed.

    Playwright's click returns when a navigation it starts has committed, before the new
    document has arrived and been parsed; an assertion that does not wait (``is_visible``,
    ``inner_text`` of an element both pages have) could then read a half-loaded page on a
    busy machine. Everything else is the page's own.
    """

    def __init__(self, page: Any) -> None:
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)

    def click(self, selector: str, **kwargs: Any) -> None:
        self._page.click(selector, **kwargs)
        self._page.wait_for_load_state("domcontentloaded")


class Visitor:
    """One browser tab with the checks every page must pass."""

    def __init__(self, page: Any, base_url: str, test_name: str) -> None:
        self.page = SettlingPage(page)
        self.base_url = base_url
        self.test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        self.console_errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path, wait_until="networkidle")

    def check(self, label: str) -> None:
        """axe-core finds no violations; the page has one h1; a screenshot is kept."""
        page = self.page
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), "GOV.UK JS did not start"
        assert page.locator("h1").count() == 1, f"{label}: expected exactly one h1"
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_JS + "\n;0")
        result = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
            AXE_TAGS,
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{self.test_name}--{len(self.checked):02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        self.checked.append(label)
        assert result == [], f"axe violations on {label}: {result}"

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/sign-in/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", password)
        self.page.click("button:has-text('Sign in')")
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def visitor(chromium: Any, live_server: Any, partnership: Any, request: pytest.FixtureRequest) -> Iterator[Visitor]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    v = Visitor(page, live_server.url, request.node.name)
    yield v
    context.close()
    # CSP violations and script errors show up as console errors.
    assert v.console_errors == [], f"browser console errors: {v.console_errors}"
