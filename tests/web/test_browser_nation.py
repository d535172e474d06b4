"""In Chromium: a liaison officer edits availability, sees the conflict it causes, and is told
when someone else changed it meanwhile or when the input is invalid."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, published, screenshot, sign_in

pytestmark = pytest.mark.browser


def _unit_editor(page: Page, unit: str) -> Any:
    editor = page.locator(f'.availability[data-label="{unit}"]')
    editor.locator("xpath=..").locator("summary").click()  # open its <details>
    return editor


def test_a_liaison_edits_a_units_availability_and_sees_the_conflict_it_causes(
    page: Page, live_server: LiveServer, approved_calendar: dict[str, Any]
) -> None:
    programme = published(live_server)["calendar"]
    assigned = next((s for s in programme["scheduled"] if "PL-INF-1" in s["units"]), None)
    assert assigned is not None, programme
    sign_in(page, live_server, "liaison:PL", "/nations/PL")
    expect(page.get_by_role("heading", name="Poland (PL)")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("infantry_company")
    assignments = page.locator("#assignments")
    expect(
        assignments.locator(f'tr[data-unit="PL-INF-1"][data-exercise="{assigned["exercise"]}"]')
    ).to_be_visible()
    expect(assignments).to_contain_text("Nothing: the current data still fits it.")
    screenshot(page, "nation")

    editor = _unit_editor(page, "PL-INF-1")
    expect(editor.locator("fieldset[data-kind=blackouts]")).to_be_visible()
    editor.get_by_role("button", name="Add a blackout").click()
    editor.get_by_label("PL-INF-1 blackout 1 first day").fill(assigned["start"])
    editor.get_by_label("PL-INF-1 blackout 1 last day").fill(assigned["start"])
    editor.get_by_role("button", name="Save the availability of PL-INF-1").click()
    expect(editor.locator("[data-message]")).to_contain_text("Saved.")
    conflict = assignments.locator('.calendar-conflicts [data-code="approved_unit_unavailable"]')
    expect(conflict).to_contain_text("PL-INF-1")
    screenshot(page, "nation-after-edit")

    # someone else changes the same set meanwhile (with their own token)
    with live_server.api("admin") as api:
        current = api.get("/api/v1/units/PL-INF-1/availability")
        changed = api.put(
            "/api/v1/units/PL-INF-1/availability",
            json={"availability": None, "blackouts": []},
            headers={"If-Match": current.headers["etag"]},
        )
        assert changed.status_code == 200, changed.text
    editor.get_by_role("button", name="Remove PL-INF-1 blackout 1").click()
    editor.get_by_role("button", name="Save the availability of PL-INF-1").click()
    message = editor.locator("[data-message]")
    expect(message).to_contain_text("Someone else changed this meanwhile")
    screenshot(page, "nation-stale-edit")
    editor.get_by_role("button", name="Load their version").click()
    expect(message).to_contain_text("This is the current version.")
    expect(editor.locator("fieldset[data-kind=blackouts]")).to_contain_text("No blackout.")


def test_invalid_availability_is_refused_with_the_reason(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "liaison:PL", "/nations/PL")
    editor = page.locator('.availability[data-label="Poland"]')
    editor.get_by_role("button", name="Add a window").click()
    editor.get_by_label("Poland window 1 first day").fill("1995-06-20")
    editor.get_by_label("Poland window 1 last day").fill("1995-06-10")
    editor.get_by_role("button", name="Save the availability of Poland").click()
    message = editor.locator("[data-message]")
    expect(message).to_contain_text("Not saved")
    expect(message).to_contain_text("/availability/0")
    screenshot(page, "nation-invalid-edit")


def test_a_liaison_cannot_open_another_nations_page(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "liaison:PL", "/nations/PL")
    response = page.goto("/nations/RO")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("404")


ICAL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//pfp-scheduler tests//EN
BEGIN:VEVENT
UID:national-holiday@example.test
DTSTART;VALUE=DATE:19950612
DTEND;VALUE=DATE:19950614
SUMMARY:National holiday
END:VEVENT
END:VCALENDAR
"""


def test_blackouts_come_from_an_icalendar_file(
    page: Page, live_server: LiveServer, tmp_path: Any
) -> None:
    ics = tmp_path / "holidays.ics"
    ics.write_text(ICAL.replace("\n", "\r\n"))
    sign_in(page, live_server, "liaison:RO", "/nations/RO")
    editor = page.locator('.availability[data-label="Romania"]')
    expect(editor.locator("fieldset[data-kind=blackouts]")).to_be_visible()
    editor.get_by_label("Blackouts from an iCalendar file (.ics)").set_input_files(str(ics))
    editor.get_by_role("button", name="Replace the blackouts with the file").click()
    expect(editor.locator("[data-message]")).to_contain_text("Saved.")
    expect(editor.get_by_label("Romania blackout 1 first day")).to_have_value("1995-06-12")
    expect(editor.get_by_label("Romania blackout 1 last day")).to_have_value("1995-06-13")
    screenshot(page, "nation-ical-upload")
