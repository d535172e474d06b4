"""In Chromium: every page fits a laptop screen and every control has a label."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, screenshot, sign_in

pytestmark = pytest.mark.browser

# each control's accessible name: its <label>, or aria-label; hidden inputs carry none
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter((c) => c.type !== 'hidden')
  .filter((c) => !((c.labels && c.labels.length) || c.getAttribute('aria-label')
                   || (c.tagName === 'BUTTON' && c.textContent.trim())))
  .map((c) => c.outerHTML)"""


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin", "/"),
        ("admin", "/calendars"),
        ("admin", "/solve"),
        ("admin", "/conflicts"),
        ("admin", "/nations"),
        ("admin", "/nations/PL"),
        ("liaison:PL", "/nations/PL"),
        ("viewer", "/"),
    ],
)
def test_a_page_fits_a_laptop_screen_and_labels_every_control(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any], who: str, path: str
) -> None:
    sign_in(page, live_server, who, path)
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the nation page draws its editors from the API
    assert page.evaluate(UNLABELLED) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1366, f"{path} is {width} px wide"
    # the keyboard reaches the content: the first Tab lands on the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the content"
    name = f"{who.replace(':', '-')}{path.replace('/', '-') or '-home'}".rstrip("-")
    screenshot(page, f"page-{name}")
