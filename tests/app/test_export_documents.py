"""The pure exports: JSON, CSV and iCalendar read back and checked entry by entry (no DB, no HTTP)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest

from app.exports import (
    CalendarVersion,
    calendar_csv,
    calendar_ical,
    calendar_json,
    event_uid,
    programme_slug,
)
from app.exports.csv_export import COLUMNS
from solver import (
    Calendar,
    Reason,
    Scenario,
    SolveParams,
    UnscheduledExercise,
    check_calendar,
    parse_scenario,
    solve,
)
from tests.app.conftest import tiny_scenario

DRAWSKO = 'Drawsko Pomorskie, Żagań; "north" area'
CREATED = dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC)


def scenario_with_locations() -> Scenario:
    """The tiny scenario with a site name that needs quoting and a location for GEO."""
    data = tiny_scenario()
    data["sites"][0]["name"] = DRAWSKO
    data["sites"][0]["location"] = {"lat": 53.53, "lon": 15.8}
    return parse_scenario(data)


@pytest.fixture(scope="module")
def version() -> CalendarVersion:
    scenario = scenario_with_locations()
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1))
    assert check_calendar(scenario, calendar).ok
    return CalendarVersion(id="c1", created_at=CREATED, scenario=scenario, calendar=calendar)


def events(data: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in parsed.walk("VEVENT")}


def test_json_is_the_calendar_and_checks(version: CalendarVersion) -> None:
    document = json.loads(calendar_json(version))
    assert document["format"] == "pfp-calendar/1"
    calendar = Calendar.model_validate(document)
    assert calendar.scheduled == version.calendar.scheduled
    assert calendar.unscheduled == version.calendar.unscheduled
    assert check_calendar(version.scenario, calendar).ok


def test_csv_has_one_row_per_exercise_with_names_dates_and_units(
    version: CalendarVersion,
) -> None:
    data = calendar_csv(version)
    assert b"\r\n" in data and data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert tuple(rows[0].keys()) == COLUMNS
    by_id = {r["exercise_id"]: r for r in rows}
    assert len(rows) == len(by_id) == len(version.scenario.exercises)
    for entry in version.calendar.scheduled:
        row = by_id[entry.exercise]
        assert row["status"] == "scheduled"
        assert (row["start"], row["end"]) == (entry.start.isoformat(), entry.end.isoformat())
        assert int(row["days"]) == (entry.end - entry.start).days + 1
        assert row["site_id"] == entry.site
        units = row["units"].split("; ")
        assert [u.split(" ")[0] for u in units] == entry.units
    cb = by_id["CB95"]
    assert cb["exercise_name"] == "Cooperative Bridge 95" and cb["type"] == "peacekeeping"
    assert cb["site_name"] == DRAWSKO and cb["host_nation"] == "PL"
    assert cb["nations"] == "NL; PL; RO"
    assert "PL-INF-1 (infantry_company, PL)" in cb["units"]
    cv = by_id["CV95"]
    assert cv["status"] == "unscheduled" and cv["start"] == "" and cv["units"] == ""
    reason = version.calendar.unscheduled[0].reasons[0]
    assert (cv["reason_code"], cv["reason"]) == (reason.code, reason.message)


def test_csv_per_nation_keeps_only_its_exercises(version: CalendarVersion) -> None:
    rows = list(csv.DictReader(io.StringIO(calendar_csv(version, nation="RO").decode())))
    assert [r["exercise_id"] for r in rows] == ["CB95"]


def test_ical_one_all_day_event_per_scheduled_exercise(version: CalendarVersion) -> None:
    data = calendar_ical(version)
    parsed = icalendar.Calendar.from_ical(data)
    assert str(parsed["version"]) == "2.0" and "pfp-scheduler" in str(parsed["prodid"])
    assert str(parsed["x-wr-calname"]) == "Tiny June programme"
    found = events(data)
    assert len(found) == len(version.calendar.scheduled)
    for entry in version.calendar.scheduled:
        event = found[event_uid(entry.exercise, "tiny-june-programme")]
        assert event["dtstart"].params.get("VALUE") == "DATE"
        assert event.decoded("dtstart") == entry.start
        assert event.decoded("dtend") == entry.end + dt.timedelta(days=1)  # exclusive end
        exercise = next(e for e in version.scenario.exercises if e.id == entry.exercise)
        assert str(event["summary"]) == exercise.name
        assert [str(c) for c in event["categories"].cats] == [exercise.type]
        assert str(event["location"]) == f"{DRAWSKO}, Poland"
        assert (event["geo"].latitude, event["geo"].longitude) == (53.53, 15.8)
        description = str(event["description"])
        for unit_id in entry.units:
            assert unit_id in description
        assert "infantry company" in description
        for nation in ("Poland (PL)", "Netherlands (NL)"):
            assert nation in description
        assert event.decoded("dtstamp") == CREATED
        assert event.decoded("last-modified") == CREATED
    assert "Romania (RO)" in str(found[event_uid("CB95", "tiny-june-programme")]["description"])


def test_ical_uid_is_stable_and_sequence_grows_between_versions(
    version: CalendarVersion,
) -> None:
    moved = version.calendar.model_copy(
        update={
            "scheduled": [
                s.model_copy(
                    update={
                        "start": s.start + dt.timedelta(days=1),
                        "end": s.end + dt.timedelta(days=1),
                    }
                )
                if s.exercise == "CH95"
                else s
                for s in version.calendar.scheduled
            ]
        }
    )
    later = CalendarVersion(
        id="c2",
        created_at=CREATED + dt.timedelta(hours=1),
        scenario=version.scenario,
        calendar=moved,
    )
    first, second = events(calendar_ical(version)), events(calendar_ical(later))
    assert first.keys() == second.keys()
    for uid in first:
        assert second[uid].decoded("sequence") > first[uid].decoded("sequence")
    ch = event_uid("CH95", "tiny-june-programme")
    assert second[ch].decoded("dtstart") == first[ch].decoded("dtstart") + dt.timedelta(days=1)


def test_ical_nation_feed_has_exactly_the_nations_exercises(version: CalendarVersion) -> None:
    for code in ("PL", "RO", "NL", "SE"):
        expected = {
            event_uid(s.exercise, "tiny-june-programme")
            for s in version.calendar.scheduled
            if any(u.startswith(code + "-") for u in s.units)
        }
        data = calendar_ical(version, nation=code)
        assert set(events(data)) == expected, code
        for event in events(data).values():
            assert code in str(event["description"])
    ro = events(calendar_ical(version, nation="RO"))[event_uid("CB95", "tiny-june-programme")]
    description = str(ro["description"])
    assert "Our units:\n- RO-INF-1: infantry company, 110 personnel (RO)" in description
    assert str(
        icalendar.Calendar.from_ical(calendar_ical(version, nation="RO"))["x-wr-calname"]
    ) == ("Tiny June programme: Romania")


def test_programme_slug_and_uid_are_safe() -> None:
    assert programme_slug("PfP 1995 — Żagań, programme!") == "pfp-1995-zagan-programme"
    assert programme_slug("!!!") == "programme"
    assert event_uid("CB 95/a", "pfp") == "CB_95_a@pfp.pfp-scheduler"


def test_a_numbered_version_gives_its_number_as_sequence(version: CalendarVersion) -> None:
    numbered = CalendarVersion(
        "c3", CREATED, version.scenario, version.calendar, approved_at=CREATED, sequence=3
    )
    found = events(calendar_ical(numbered))
    assert {e.decoded("sequence") for e in found.values()} == {3}
    assert {str(e["status"]) for e in found.values()} == {"CONFIRMED"}


def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas() -> None:
    data = tiny_scenario()
    data["exercises"][0]["name"] = '=HYPERLINK("http://x","CB")'
    data["sites"][0]["name"] = "@SUM(A1)"
    scenario = parse_scenario(data)
    calendar = Calendar.model_validate_json(
        (Path(__file__).parent.parent / "data" / "tiny.calendar.json").read_text()
    )
    rows = list(
        csv.DictReader(
            io.StringIO(calendar_csv(CalendarVersion("c", CREATED, scenario, calendar)).decode())
        )
    )
    cb = next(r for r in rows if r["exercise_id"] == "CB95")
    assert cb["exercise_name"] == '\'=HYPERLINK("http://x","CB")'
    assert cb["site_name"] == "'@SUM(A1)"
    assert cb["start"] == "1995-06-01" and cb["days"] == "10"


def test_an_exercise_dropped_since_the_previous_version_comes_as_a_cancelled_event() -> None:
    scenario = parse_scenario(tiny_scenario())
    before = Calendar.model_validate_json(
        (Path(__file__).parent.parent / "data" / "tiny.calendar.json").read_text()
    )
    ch = next(s for s in before.scheduled if s.exercise == "CH95")
    after = before.model_copy(
        update={
            "scheduled": [s for s in before.scheduled if s.exercise != "CH95"],
            "unscheduled": [
                *before.unscheduled,
                UnscheduledExercise(
                    exercise="CH95", reasons=[Reason(code="dropped", message="dropped")]
                ),
            ],
        }
    )
    first = CalendarVersion("c1", CREATED, scenario, before, CREATED, sequence=1)
    later = CREATED + dt.timedelta(hours=1)
    second = CalendarVersion("c2", later, scenario, after, later, sequence=2, previous=first)
    found = events(calendar_ical(second))
    uid = event_uid("CH95", "tiny-june-programme")
    assert set(found) == {event_uid("CB95", "tiny-june-programme"), uid}
    cancelled = found[uid]
    assert str(cancelled["status"]) == "CANCELLED" and cancelled.decoded("sequence") == 2
    assert cancelled.decoded("dtstart") == ch.start
    assert cancelled.decoded("dtend") == ch.end + dt.timedelta(days=1)
    assert str(found[event_uid("CB95", "tiny-june-programme")]["status"]) == "CONFIRMED"
    # per nation: NL and PL were in CH95, RO was not
    assert str(events(calendar_ical(second, nation="NL"))[uid]["status"]) == "CANCELLED"
    assert uid not in events(calendar_ical(second, nation="RO"))
