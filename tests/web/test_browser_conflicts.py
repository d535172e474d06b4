"""In Chromium: the conflicts page explains an unscheduled exercise, and a planner opens a
suggestion as a re-plan of the published calendar."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, published, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_planner_opens_a_suggested_fix_as_a_re_plan(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any]
) -> None:
    programme = published(live_server)
    out = [u["exercise"] for u in programme["calendar"]["unscheduled"]]
    assert out, "the tiny scenario leaves an exercise out"
    sign_in(page, live_server, "planner", "/conflicts")
    article = page.locator(f'article[data-exercise="{out[0]}"]')
    expect(article).to_be_visible(timeout=30_000)  # explanations are computed on first view
    expect(article.locator(".suggestion").first).to_be_visible()
    expect(page.locator(".data-conflicts .conflict").first).to_be_visible()
    screenshot(page, "conflicts")
    page.get_by_label("Severity").select_option("warning")
    expect(page).to_have_url(re.compile(r"severity=warning"))
    expect(page.locator(f'article[data-exercise="{out[0]}"]')).to_be_visible()  # kept
    page.get_by_label("Severity").select_option("error")
    expect(page.locator(".data-conflicts .conflict.error").first).to_be_visible()

    article.get_by_role("link", name=re.compile("^Open as a re-plan")).first.click()
    expect(page).to_have_url(re.compile(r"/solve\?base="))
    expect(page.get_by_label("Re-plan from (approved calendar)")).to_have_value(programme["id"])
    expect(page.get_by_label("Name (optional)")).to_have_value(re.compile("^Re-plan: "))
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Start the solve").click()
    expect(page.locator("#job-status")).to_have_text(re.compile(r"^completed"), timeout=30_000)
    screenshot(page, "solve-re-plan")


def test_a_liaison_sees_conflicts_without_re_plan_links(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any]
) -> None:
    sign_in(page, live_server, "liaison:RO", "/conflicts")
    expect(page.get_by_role("heading", name="Conflicts", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Open as a re-plan"))).to_have_count(0)
    # only approved calendars are offered
    for option in page.locator("#c-calendar option").all():
        assert "approved" in option.inner_text()
    screenshot(page, "conflicts-liaison")
