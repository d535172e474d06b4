"""Data conflicts without solving: each conflict code raised on a tiny scenario, and not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from solver import parse_scenario
from solver.diagnose import CONFLICT_CODES, DataConflict, data_conflicts

DATA = Path(__file__).parent.parent / "data"
Doc = dict[str, Any]


def _tiny(name: str = "tiny") -> Doc:
    return json.loads((DATA / f"{name}.scenario.json").read_text())


def _unit(doc: Doc, unit_id: str) -> Doc:
    return next(u for u in doc["units"] if u["id"] == unit_id)


def _nation(doc: Doc, code: str) -> Doc:
    return next(n for n in doc["nations"] if n["code"] == code)


def _site(doc: Doc, site_id: str) -> Doc:
    return next(s for s in doc["sites"] if s["id"] == site_id)


def _exercise(doc: Doc, exercise_id: str) -> Doc:
    return next(e for e in doc["exercises"] if e["id"] == exercise_id)


def _window(start: str, end: str) -> Doc:
    return {"start": f"1995-06-{start}", "end": f"1995-06-{end}"}


def _second_sar(doc: Doc, **fields: Any) -> None:
    doc["nations"].append({"code": "FI", "name": "Finland"})
    doc["units"].append(
        {"id": "FI-SAR-1", "nation": "FI", "capability": "sar_helicopter", "personnel": 14} | fields
    )


def _conflicts(doc: Doc, code: str) -> list[DataConflict]:
    return [c for c in data_conflicts(parse_scenario(doc)) if c.code == code]


def test_tiny_sar_exercise_is_short_of_helicopters_naming_the_swedish_one() -> None:
    [conflict] = _conflicts(_tiny(), "capability_short")
    assert conflict.severity == "error"
    assert conflict.exercises == ["CV95"]
    assert conflict.units == ["SE-SAR-1"]
    assert conflict.nations == ["SE"]
    assert "SE-SAR-1 (Sweden)" in conflict.message
    assert "Cooperative Venture 95 (CV95)" in conflict.message
    assert "2 sar_helicopter" in conflict.message


def test_a_second_helicopter_meets_the_sar_requirement() -> None:
    doc = _tiny()
    _second_sar(doc)
    assert _conflicts(doc, "capability_short") == []


def test_a_unit_blacked_out_over_the_window_does_not_count() -> None:
    doc = _tiny()
    _second_sar(doc, blackouts=[_window("03", "03"), _window("08", "08")])
    _nation(doc, "FI")["blackouts"] = [_window("13", "13"), _window("18", "18")]
    _nation(doc, "FI")["availability"] = [_window("01", "22")]
    [conflict] = _conflicts(doc, "capability_short")
    assert "FI-SAR-1 (Finland) is not available for 5 days in a row" in conflict.message


@pytest.mark.parametrize(("min_nations", "raised"), [(3, False), (4, True)])
def test_min_nations_above_the_nations_with_an_eligible_unit(
    min_nations: int, raised: bool
) -> None:
    doc = _tiny()
    _exercise(doc, "CB95")["min_nations"] = min_nations
    found = _conflicts(doc, "min_nations_short")
    assert bool(found) is raised
    if raised:
        assert found[0].exercises == ["CB95"] and found[0].nations == ["NL", "PL", "RO"]
        assert "Netherlands, Poland, Romania" in found[0].message


def test_min_nations_beyond_what_max_units_can_bring() -> None:
    doc = _tiny()
    _second_sar(doc)
    doc["units"].append(
        {"id": "PL-SAR-1", "nation": "PL", "capability": "sar_helicopter", "personnel": 12}
    )
    _exercise(doc, "CV95")["min_nations"] = 3  # 3 nations have one, but max_units is 2
    [conflict] = _conflicts(doc, "min_nations_short")
    assert "max_units" in conflict.message


@pytest.mark.parametrize(("site_window", "raised"), [(("01", "30"), False), (("01", "04"), True)])
def test_no_eligible_site_available_for_the_duration(
    site_window: tuple[str, str], raised: bool
) -> None:
    doc = _tiny()
    _second_sar(doc)
    _site(doc, "SE-GOTLAND")["availability"] = [
        _window(*site_window),
        _window("08", "10"),
    ]
    found = _conflicts(doc, "no_site_available")
    assert bool(found) is raised
    if raised:
        assert found[0].sites == ["SE-GOTLAND"] and "Gotland coast (SE-GOTLAND)" in found[0].message


def test_no_site_supports_the_type() -> None:
    doc = _tiny()
    _site(doc, "SE-GOTLAND")["supports"] = ["humanitarian"]
    [conflict] = _conflicts(doc, "no_site_available")
    assert "no site supports search and rescue exercises" in conflict.message


@pytest.mark.parametrize(("second_until", "raised"), [("09", True), ("14", False)])
def test_no_common_start_when_units_are_available_at_different_times(
    second_until: str, raised: bool
) -> None:
    doc = _tiny()
    _second_sar(doc, availability=[_window("01", second_until)])
    assert _conflicts(doc, "capability_short") == []
    found = _conflicts(doc, "no_common_start")
    assert bool(found) is raised
    if raised:
        assert found[0].exercises == ["CV95"]


@pytest.mark.parametrize(("capacity", "raised"), [(254, True), (255, False)])
def test_required_personnel_above_every_site_capacity(capacity: int, raised: bool) -> None:
    doc = _tiny()
    _site(doc, "PL-DRAWSKO")["capacity_personnel"] = capacity  # CB95 needs 120 + 110 + 25
    found = [c for c in _conflicts(doc, "personnel_over_site_capacity") if "CB95" in c.exercises]
    assert bool(found) is raised
    if raised:
        assert "255 personnel" in found[0].message and found[0].sites == ["PL-DRAWSKO"]


@pytest.mark.parametrize(("most", "raised"), [(254, True), (255, False)])
def test_required_personnel_above_max_personnel(most: int, raised: bool) -> None:
    doc = _tiny()
    _exercise(doc, "CB95")["max_personnel"] = most
    found = _conflicts(doc, "personnel_over_max")
    assert bool(found) is raised


@pytest.mark.parametrize(
    ("limits", "severity"),
    [
        ({"max_exercises": 0}, "error"),
        ({"budget_person_days": 174}, "error"),  # cheapest: 25 personnel x 7 days in CH95
        ({"budget_person_days": 175}, None),
        ({"max_exercises": 1}, None),
    ],
)
def test_nation_whose_limits_fund_none_of_its_exercises(limits: Doc, severity: str | None) -> None:
    doc = _tiny()
    _nation(doc, "NL").update(limits)
    found = _conflicts(doc, "nation_cannot_fund")
    assert [c.severity for c in found] == ([severity] if severity else [])
    if severity:
        assert found[0].nations == ["NL"] and set(found[0].exercises) == {"CB95", "CH95"}
        assert "Netherlands" in found[0].message


def test_a_nation_not_needed_is_only_a_warning() -> None:
    doc = _tiny()
    _nation(doc, "NL")["max_exercises"] = 0
    doc["units"].append(
        {"id": "PL-MED-1", "nation": "PL", "capability": "medical_team", "personnel": 20}
    )
    [conflict] = _conflicts(doc, "nation_cannot_fund")
    assert conflict.severity == "warning"


@pytest.mark.parametrize(("site_until", "raised"), [("18", True), ("30", False)])
def test_pinned_site_unavailable_on_the_pinned_days(site_until: str, raised: bool) -> None:
    doc = _tiny()
    _exercise(doc, "CH95")["pinned"] = {"start": "1995-06-16", "site": "PL-DRAWSKO"}
    _site(doc, "PL-DRAWSKO")["availability"] = [_window("01", site_until)]
    found = _conflicts(doc, "pin_site_unavailable")
    assert bool(found) is raised
    if raised:
        assert "1995-06-19..1995-06-22" in found[0].message
        assert found[0].pointer == "/exercises/2/pinned/site"
        mandatory = _conflicts(doc, "mandatory_impossible")
        assert [c.exercises for c in mandatory] == [["CH95"]]


@pytest.mark.parametrize(("start", "raised"), [("1995-06-10", True), ("1995-06-01", False)])
def test_pinned_unit_unavailable_on_the_pinned_days(start: str, raised: bool) -> None:
    doc = _tiny()
    _exercise(doc, "CB95")["pinned"] = {"start": start, "units": ["RO-INF-1"]}
    found = _conflicts(doc, "pin_unit_unavailable")
    assert bool(found) is raised
    if raised:
        assert found[0].units == ["RO-INF-1"] and "RO-INF-1 (Romania)" in found[0].message
        assert "1995-06-16..1995-06-19" in found[0].message


@pytest.mark.parametrize(
    ("pinned", "raised"), [(["PL-INF-1", "RO-INF-1"], True), (["PL-INF-1"], False)]
)
def test_more_units_pinned_than_max_units(pinned: list[str], raised: bool) -> None:
    doc = _tiny()
    _exercise(doc, "CH95")["pinned"] = {"units": pinned}
    assert bool(_conflicts(doc, "pin_units_excess")) is raised


@pytest.mark.parametrize(("gap", "raised"), [(13, False), (14, True)])
def test_after_link_that_the_window_cannot_honour(gap: int, raised: bool) -> None:
    doc = _tiny()  # CB95 ends 06-10 at the earliest; CH95 (7 days) starts 06-24 at the latest
    _exercise(doc, "CH95")["after"] = [{"exercise": "CB95", "gap_days": gap}]
    found = _conflicts(doc, "after_impossible")
    assert bool(found) is raised
    if raised:
        assert found[0].exercises == ["CH95", "CB95"]


@pytest.mark.parametrize(("before", "raised"), [("CV95", True), ("CB95", False)])
def test_after_an_exercise_that_cannot_be_scheduled(before: str, raised: bool) -> None:
    doc = _tiny()
    _exercise(doc, "CH95")["after"] = [{"exercise": before}]
    found = _conflicts(doc, "predecessor_impossible")
    assert bool(found) is raised
    if raised:
        assert found[0].exercises == ["CH95", "CV95"]


@pytest.mark.parametrize(("name", "raised"), [("tiny-infeasible", True), ("tiny", False)])
def test_mandatory_exercise_that_cannot_be_scheduled(name: str, raised: bool) -> None:
    found = _conflicts(_tiny(name), "mandatory_impossible")
    assert bool(found) is raised
    if raised:
        assert found[0].exercises == ["CV95"] and "capability_short" in found[0].message


@pytest.mark.parametrize(("blackout", "raised"), [(("01", "30"), True), (("01", "29"), False)])
def test_unit_never_available(blackout: tuple[str, str], raised: bool) -> None:
    doc = _tiny()
    _unit(doc, "PL-INF-1")["blackouts"] = [_window(*blackout)]
    found = _conflicts(doc, "unit_never_available")
    assert bool(found) is raised
    if raised:
        assert found[0].severity == "warning" and found[0].units == ["PL-INF-1"]


@pytest.mark.parametrize(
    ("windows", "code"),
    [
        ([("01", "10"), ("05", "12")], "overlapping_windows"),
        ([("01", "10"), ("01", "10")], "duplicate_windows"),
        ([("01", "10"), ("11", "12")], None),
    ],
)
def test_overlapping_or_duplicate_windows_are_warnings(
    windows: list[tuple[str, str]], code: str | None
) -> None:
    doc = _tiny()
    _nation(doc, "PL")["blackouts"] = [_window(*w) for w in windows]
    found = [
        c
        for c in data_conflicts(parse_scenario(doc))
        if c.code in {"overlapping_windows", "duplicate_windows"}
    ]
    assert [c.code for c in found] == ([code] if code else [])
    if code:
        assert found[0].severity == "warning"
        assert found[0].pointer == "/nations/0/blackouts/1" and found[0].nations == ["PL"]


@pytest.mark.parametrize(("duration", "code"), [(10, "duplicate_exercises"), (9, None)])
def test_a_request_submitted_twice_is_a_warning(duration: int, code: str | None) -> None:
    doc = _tiny()
    twice = dict(_exercise(doc, "CB95"), id="CB95-BIS", name="Cooperative Bridge 95 (again)")
    twice["duration_days"] = duration
    doc["exercises"].append(twice)
    found = _conflicts(doc, "duplicate_exercises")
    assert [c.code for c in found] == ([code] if code else [])
    if code:
        assert found[0].exercises == ["CB95-BIS", "CB95"] and found[0].severity == "warning"
        assert found[0].pointer == "/exercises/3"


def test_errors_come_first_and_every_code_is_documented() -> None:
    doc = _tiny()
    _unit(doc, "PL-INF-1")["blackouts"] = [_window("01", "30")]
    found = data_conflicts(parse_scenario(doc))
    severities = [c.severity for c in found]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert "warning" in severities and "error" in severities
    assert all(c.code in CONFLICT_CODES for c in found)
