"""In Chromium: sign in, and the published programme's timeline draws every scheduled exercise
with its dates."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, published, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_with_a_token_and_out_again(page: Page, live_server: LiveServer) -> None:
    page.goto("/calendars")
    expect(page).to_have_url(f"{live_server.url}/signin?next=%2Fcalendars")
    screenshot(page, "signin")
    page.get_by_label("Token").fill("pfp_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("unknown, revoked or expired")

    page.get_by_label("Token").fill(live_server.secrets["planner"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/calendars")
    cookie = next(c for c in page.context.cookies() if c["name"] == "pfp_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/signin")
    assert not [c for c in page.context.cookies() if c["name"] == "pfp_session"]
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/signin?next=%2F")


def test_the_timeline_draws_every_scheduled_exercise_with_its_dates(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any]
) -> None:
    sign_in(page, live_server, "viewer")
    scheduled = published(live_server)["calendar"]["scheduled"]
    assert scheduled
    expect(page.get_by_role("heading", name="Published programme")).to_be_visible()
    bars = page.locator("svg#timeline .bar")
    expect(bars).to_have_count(len(scheduled))
    drawn = {
        bar.get_attribute("data-exercise"): (
            bar.get_attribute("data-start"),
            bar.get_attribute("data-end"),
            bar.get_attribute("data-site"),
        )
        for bar in bars.all()
    }
    assert drawn == {s["exercise"]: (s["start"], s["end"], s["site"]) for s in scheduled}
    # the bar's length is its number of days
    horizon = page.locator("svg#timeline")
    assert horizon.get_attribute("data-start") == "1995-06-01"
    first = scheduled[0]
    bar = page.locator(f'svg#timeline .bar[data-exercise="{first["exercise"]}"]')
    bar.focus()  # keyboard: Tab reaches each bar; Enter (or focus) shows its details
    page.keyboard.press("Enter")
    details = page.get_by_role("complementary", name="Exercise details")
    expect(details).to_contain_text(f"{first['start']} to {first['end']}")
    for unit in first["units"]:
        expect(details).to_contain_text(unit)
    screenshot(page, "programme-timeline")

    page.get_by_label("Rows").select_option("nation")
    expect(page).to_have_url(f"{live_server.url}/?view=nation&month=&type=&nation=")
    expect(page.locator("svg#timeline")).to_have_attribute("data-view", "nation")
    page.get_by_label("Exercise type").select_option("search_and_rescue")
    expect(page).to_have_url(
        f"{live_server.url}/?view=nation&month=&type=search_and_rescue&nation="
    )
    shown = [s for s in scheduled if s["exercise"] == "CV95"]
    expect(page.locator("table tbody tr")).to_have_count(len(shown))
    screenshot(page, "programme-timeline-filtered")
