"""Drift of a calendar against changed data, and the nation view built on it (pure, no DB)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from app.exports import CalendarVersion
from app.exports.drift import DRIFT_CODES, calendar_drift
from app.nation_calendar.view import nation_calendar
from solver import Calendar, Window, check_calendar, parse_scenario
from tests.app.conftest import DATA, tiny_scenario

CREATED = dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC)


def approved() -> CalendarVersion:
    """The spec's tiny calendar: CB95 1-10 June (PL, RO, NL), CH95 16-22 June (NL, PL)."""
    calendar = Calendar.model_validate_json((DATA / "tiny.calendar.json").read_text())
    return CalendarVersion("c1", CREATED, parse_scenario(tiny_scenario()), calendar, CREATED)


def changed(edit: Any) -> Any:
    data = tiny_scenario()
    edit(data)
    return parse_scenario(data)


def codes(conflicts: list) -> list[str]:
    return [c.code for c in conflicts]


def test_unchanged_data_has_no_drift_and_the_checker_agrees() -> None:
    version = approved()
    assert check_calendar(version.scenario, version.calendar).ok
    assert calendar_drift(version.scenario, version) == []


def test_a_blackout_over_assigned_days_names_the_unit_exercise_and_days() -> None:
    def blackout(data: dict) -> None:
        data["units"][1]["blackouts"] = [{"start": "1995-06-03", "end": "1995-06-05"}]

    [conflict] = calendar_drift(changed(blackout), approved())
    assert conflict.code == "approved_unit_unavailable"
    assert (conflict.units, conflict.exercises, conflict.nations) == (
        ["RO-INF-1"],
        ["CB95"],
        ["RO"],
    )
    assert conflict.days == [Window(start=dt.date(1995, 6, 3), end=dt.date(1995, 6, 5))]
    assert "RO-INF-1 (Romania)" in conflict.message
    assert (
        "Cooperative Bridge 95" in conflict.message
        and "1995-06-03 to 1995-06-05" in conflict.message
    )


def test_a_blackout_outside_assigned_days_is_no_drift() -> None:
    def blackout(data: dict) -> None:
        data["units"][1]["blackouts"] = [{"start": "1995-06-11", "end": "1995-06-15"}]

    assert calendar_drift(changed(blackout), approved()) == []


def test_a_nation_blackout_reaches_each_of_its_assigned_units() -> None:
    def blackout(data: dict) -> None:
        data["nations"][3]["blackouts"] = [{"start": "1995-06-10", "end": "1995-06-16"}]

    found = calendar_drift(changed(blackout), approved())
    assert [(c.code, c.exercises, c.days[0].start.day, c.days[0].end.day) for c in found] == [
        ("approved_unit_unavailable", ["CB95"], 10, 10),
        ("approved_unit_unavailable", ["CH95"], 16, 16),
    ]


def test_a_unit_no_longer_declared() -> None:
    def remove(data: dict) -> None:
        data["units"] = [u for u in data["units"] if u["id"] != "RO-INF-1"]

    found = calendar_drift(changed(remove), approved())
    assert codes(found)[0] == "approved_unit_removed"
    assert found[0].units == ["RO-INF-1"] and found[0].nations == ["RO"]
    # the checker then sees CB95 short of infantry and of nations
    broken = [c for c in found if c.code == "approved_rule_broken"]
    assert {c.rule for c in broken} == {4, 6} and all(c.exercises == ["CB95"] for c in broken)


def test_nation_and_unit_limits_lowered_since() -> None:
    def limits(data: dict) -> None:
        data["nations"][0]["max_exercises"] = 1
        data["nations"][3]["budget_person_days"] = 200
        data["units"][3]["rest_days"] = 6

    found = calendar_drift(changed(limits), approved())
    assert sorted((c.code, tuple(c.nations)) for c in found) == [
        ("approved_nation_over_limit", ("NL",)),
        ("approved_nation_over_limit", ("PL",)),
        ("approved_unit_over_limit", ("NL",)),
    ]
    rest = next(c for c in found if c.code == "approved_unit_over_limit")
    assert rest.units == ["NL-MED-1"] and "5 free days" in rest.message


def test_site_closed_exercise_removed_added_and_shortened() -> None:
    def edit(data: dict) -> None:
        data["sites"][0]["availability"] = [{"start": "1995-06-12", "end": "1995-06-30"}]
        data["exercises"][2]["duration_days"] = 6  # CH95 now ends a day earlier
        data["exercises"][1]["id"] = "CV96"  # CV95 withdrawn, CV96 requested

    found = calendar_drift(changed(edit), approved())
    by_code = {c.code: c for c in found}
    assert set(by_code) == {
        "exercise_not_in_calendar",
        "approved_site_unavailable",
        "approved_rule_broken",
    }
    assert by_code["exercise_not_in_calendar"].exercises == ["CV96"]
    assert by_code["approved_site_unavailable"].exercises == ["CB95"]
    assert by_code["approved_rule_broken"].rule == 2
    assert by_code["approved_rule_broken"].exercises == ["CH95"]
    assert set(codes(found)) <= DRIFT_CODES.keys()


def test_a_scheduled_exercise_no_longer_requested() -> None:
    def remove(data: dict) -> None:
        data["exercises"] = [e for e in data["exercises"] if e["id"] != "CH95"]

    [conflict] = calendar_drift(changed(remove), approved())
    assert conflict.code == "approved_exercise_removed" and conflict.exercises == ["CH95"]
    assert conflict.nations == ["NL", "PL"]


def test_nation_view_lists_its_units_assignments_and_only_its_conflicts() -> None:
    def blackout(data: dict) -> None:
        data["units"][1]["blackouts"] = [{"start": "1995-06-03", "end": "1995-06-05"}]
        data["units"][3]["blackouts"] = [{"start": "1995-06-20", "end": "1995-06-20"}]

    current = changed(blackout)
    view = nation_calendar("RO", current=current, version=approved(), published=True)
    assert view.name == "Romania" and view.exercises == ["CB95"]
    assert view.person_days == 110 * 10
    [unit] = view.units
    assert unit.id == "RO-INF-1" and unit.declared
    [a] = unit.assignments
    assert (a.exercise, a.start, a.end, a.site, a.host_nation) == (
        "CB95",
        dt.date(1995, 6, 1),
        dt.date(1995, 6, 10),
        "PL-DRAWSKO",
        "PL",
    )
    assert a.other_nations == ["NL", "PL"] and a.other_units == ["PL-INF-1", "NL-MED-1"]
    assert [c.units for c in view.calendar_conflicts] == [["RO-INF-1"]]
    assert view.calendar is not None and view.calendar.published
    nl = nation_calendar("NL", current=current, version=approved())
    assert [len(u.assignments) for u in nl.units] == [2]
    assert [c.exercises for c in nl.calendar_conflicts] == [["CH95"]]
    assert nl.hosted == []
    pl = nation_calendar("PL", current=current, version=approved())
    assert [(h.exercise, h.site, h.nations, h.personnel) for h in pl.hosted] == [
        ("CB95", "PL-DRAWSKO", ["NL", "PL", "RO"], 255),
        ("CH95", "PL-DRAWSKO", ["NL", "PL"], 145),
    ]
    se = nation_calendar("SE", current=current, version=approved())
    assert se.exercises == [] and [u.assignments for u in se.units] == [[]]
    assert se.calendar_conflicts == []
    assert all("SE" in c.nations for c in se.data_conflicts)


def test_nation_view_without_a_calendar_still_has_units_and_data_conflicts() -> None:
    view = nation_calendar("SE", current=parse_scenario(tiny_scenario()), version=None)
    assert view.calendar is None and [u.id for u in view.units] == ["SE-SAR-1"]
    assert "capability_short" in codes(view.data_conflicts)
    assert json.loads(view.model_dump_json())["calendar_conflicts"] == []
