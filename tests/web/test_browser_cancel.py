"""In Chromium: a planner cancels a long solve from the solve page; its best calendar is kept.

The tiny scenario is solved to optimality in a blink, so this test has a server of its own
with a generated medium programme, whose search runs until its time limit."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from solver import generate
from tests.web.conftest import LiveServer, require_chromium, screenshot, serve, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def medium_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    scenario = generate("M", 1).model_dump(mode="json", exclude_none=True)
    with serve(tmp_path_factory.mktemp("medium"), scenario) as server:
        yield server


def test_a_planner_cancels_a_running_solve(page: Page, medium_server: LiveServer) -> None:
    sign_in(page, medium_server, "planner", "/solve")
    page.get_by_label("Time limit (seconds)").fill("120")
    page.get_by_role("button", name="Start the solve").click()
    expect(page.locator("#job-status")).to_have_text("running", timeout=60_000)
    expect(page.locator("#fig-priority")).not_to_have_text("-", timeout=60_000)  # a first calendar
    page.get_by_role("button", name="Cancel the solve").click()
    expect(page.locator("#job-status")).to_have_text(
        re.compile(r"^cancelled \((feasible|optimal)\)$"), timeout=30_000
    )
    expect(page.get_by_role("alert")).to_contain_text("cancelled")
    expect(page.get_by_role("link", name="Open the result")).to_be_visible()
    screenshot(page, "solve-cancelled")
