"""In Chromium: /docs (Swagger UI) and /redoc (ReDoc) draw the API's operations from the app's
own files, under their same-origin Content-Security-Policy, asking no other host for anything
(the `page_problems` fixture fails a test on any CSP refusal or script error)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Request, expect

from tests.web.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser

# ReDoc always draws its vendor's logo from cdn.redoc.ly in its footer: the policy refuses it
# (no request leaves the browser) and ReDoc drops the image; the page works without it.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def requests(page: Page, live_server: LiveServer) -> Iterator[list[str]]:
    """The URLs the page asked for on another origin than the app's (data: and blob: aside)."""
    foreign: list[str] = []

    def record(request: Request) -> None:
        url = request.url
        if not url.startswith((live_server.url + "/", "data:", "blob:")):
            foreign.append(url)

    page.on("request", record)
    yield foreign


def test_the_swagger_ui_draws_the_operations_from_the_apps_own_files(
    page: Page, live_server: LiveServer, requests: list[str]
) -> None:
    page.goto(f"{live_server.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() > 50  # every operation of the API
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    # an operation opens, with its parameters and responses
    summary = page.locator(".opblock-summary", has_text="/api/v1/nations/{code}").first
    summary.click()
    expect(page.locator(".opblock.is-open .responses-wrapper").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "docs-swagger-ui")
    assert requests == []


def test_redoc_draws_the_operations_from_the_apps_own_files(
    page: Page, live_server: LiveServer, requests: list[str], page_problems: list[str]
) -> None:
    page.goto(f"{live_server.url}/redoc")
    operations = page.locator('[data-section-id^="operation/"]')
    expect(operations.first).to_be_attached(timeout=30_000)
    assert operations.count() > 50
    expect(page.get_by_role("heading", name="pfp-scheduler").first).to_be_visible()
    # the refused logo is gone from the page (ReDoc drops it on the error)
    expect(page.locator('img[alt="redocly logo"]')).to_have_count(0)
    page.wait_for_load_state("networkidle")
    screenshot(page, "docs-redoc")
    assert [url for url in requests if url != REDOC_LOGO] == []
    page_problems[:] = [p for p in page_problems if REDOC_LOGO not in p]
