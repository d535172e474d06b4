"""In Chromium: a planner starts a solve and watches it finish; an approver approves a calendar."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, screenshot, sign_in, solve

pytestmark = pytest.mark.browser


def test_a_planner_starts_a_solve_and_watches_it_finish(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "planner", "/solve")
    page.get_by_label("Name (optional)").fill("From the browser")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Start the solve").click()
    expect(page).to_have_url(re.compile(r"/solve\?calendar=[\w-]+$"))
    status = page.locator("#job-status")
    expect(status).to_have_text(re.compile(r"^completed \((optimal|feasible)\)$"), timeout=30_000)
    chart = page.locator("#chart")
    assert int(chart.get_attribute("data-points") or 0) >= 1
    expect(chart.locator('polyline[data-series="priority"]')).to_have_count(1)
    expect(page.locator("#fig-priority")).not_to_have_text("-")
    expect(page.get_by_role("button", name="Cancel the solve")).to_be_disabled()
    screenshot(page, "solve")
    calendar_id = page.url.rsplit("=", 1)[1]

    page.get_by_role("link", name="Open the result").click()
    expect(page).to_have_url(f"{live_server.url}/calendars/{calendar_id}")
    expect(page.locator("svg#timeline .bar").first).to_be_visible()
    screenshot(page, "calendar-timeline")
    if page.get_by_role("link", name="Differences from the published programme").count():
        page.get_by_role("link", name="Differences from the published programme").click()
        expect(page.get_by_role("heading", name=re.compile("^From"))).to_be_visible()


def test_a_solve_the_server_refuses_says_why(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "planner", "/solve")
    limit = page.get_by_label("Time limit (seconds)")
    limit.evaluate("node => node.removeAttribute('max')")
    limit.fill("100000")
    page.get_by_role("button", name="Start the solve").click()
    expect(page.get_by_role("alert")).to_contain_text("The solve could not start")
    expect(page.get_by_role("alert")).to_contain_text("/time_limit_s")


def test_an_approver_approves_a_calendar_and_it_is_published(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any]
) -> None:
    draft = solve(live_server, name="Draft to approve in the browser")
    sign_in(page, live_server, "approver", "/calendars")
    row = page.locator(f'tr[data-calendar="{draft["id"]}"]')
    expect(row).to_contain_text("draft")
    screenshot(page, "calendars")
    # the differences from the published calendar
    page.get_by_label("Compare from").select_option(approved_calendar["id"])
    page.get_by_label("to", exact=True).select_option(draft["id"])
    page.get_by_role("button", name="Show the differences").click()
    expect(page.get_by_role("heading", name=re.compile("^From"))).to_be_visible()
    screenshot(page, "calendars-diff")

    row = page.locator(f'tr[data-calendar="{draft["id"]}"]')
    row.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("status")).to_contain_text(f"Calendar {draft['id']} is approved")
    expect(page.locator(f'tr[data-calendar="{draft["id"]}"]')).to_contain_text("approved")
    page.get_by_role("link", name="Programme").click()
    expect(page.locator("p.meta").first).to_contain_text(draft["id"])


def test_a_planner_sees_no_approve_button(page: Page, live_server: LiveServer) -> None:
    solve(live_server, name="Not for planners to approve")
    sign_in(page, live_server, "planner", "/calendars")
    expect(page.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
