"""Browser tests: Playwright driving Debian's Chromium (installed by .ci/run; skipped where it is absent)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("JIFEN_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the tests' own database setup is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    path = SCREENSHOTS / f"{name}.png"  # the name may hold a folder: "walk/holder-en-me-390"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@pytest.fixture(autouse=True)
def _frozen_policy(frozen_policy: None) -> None:
    """The pages run on the frozen copy of the policy data (tests/policy/README.md)."""


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    """The service's clock stands on 2026-11-27; the browser's cookies keep the real time."""
    settings.JIFEN_NOW = datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=8)))
