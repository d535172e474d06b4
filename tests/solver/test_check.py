"""The independent checker: the spec's calendars pass; each broken rule is caught and named."""

from __future__ import annotations

import datetime as dt

import pytest

from solver import Calendar
from solver.check import check_calendar
from tests.solver.helpers import assert_calendar_valid, load_example, load_example_calendar


@pytest.mark.parametrize("name", ["tiny", "tiny-infeasible"])
def test_spec_calendars_keep_every_rule(name: str) -> None:
    assert_calendar_valid(load_example(name), load_example_calendar(name))


def test_recomputes_the_spec_figures() -> None:
    result = check_calendar(load_example("tiny"), load_example_calendar("tiny"))
    assert result.kpi.as_tuple() == (70, 5, 1)


def _tiny_with(change) -> set[tuple[int, str]]:
    scenario = load_example("tiny")
    data = load_example_calendar("tiny").model_dump(mode="json")
    change(data)
    result = check_calendar(scenario, Calendar.model_validate(data))
    return {(v.rule, v.code) for v in result.violations}


def _cb95(data: dict) -> dict:
    return next(s for s in data["scheduled"] if s["exercise"] == "CB95")


def _ch95(data: dict) -> dict:
    return next(s for s in data["scheduled"] if s["exercise"] == "CH95")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["unscheduled"].clear(), (1, "missing")),
        (lambda d: d["unscheduled"].append(d["unscheduled"][0]), (1, "listed_twice")),
        (
            lambda d: d["unscheduled"].append(
                {"exercise": "X", "reasons": [{"code": "c", "message": "m"}]}
            ),
            (1, "unknown_exercise"),
        ),
        (lambda d: _cb95(d).update(end="1995-06-11"), (2, "wrong_end")),
        (lambda d: _ch95(d).update(start="1995-06-15", end="1995-06-21"), (2, "outside_window")),
        (lambda d: _ch95(d).update(start="1995-06-26", end="1995-07-02"), (2, "outside_horizon")),
        (lambda d: _cb95(d).update(site="SE-GOTLAND"), (3, "ineligible_site")),
        (lambda d: _cb95(d).update(site="NOWHERE"), (3, "unknown_site")),
        (lambda d: _ch95(d).update(units=["NL-MED-1"]), (4, "requirement_count")),
        (lambda d: _ch95(d).update(units=["NL-MED-1", "PL-INF-1", "PL-INF-1"]), (4, "unit_twice")),
        (
            lambda d: _ch95(d).update(units=["NL-MED-1", "PL-INF-1", "SE-SAR-1"]),
            (4, "capability_not_required"),
        ),
        (lambda d: _ch95(d).update(units=["NL-MED-1", "RO-INF-1"]), (5, "unit_unavailable")),
        (lambda d: _ch95(d).update(start="1995-06-13", end="1995-06-19"), (5, "unit_rest_days")),
        (lambda d: _cb95(d).update(units=["PL-INF-1", "RO-INF-1"]), (6, "min_nations")),
        (
            lambda d: d.update(
                kpi={
                    "priority_scheduled": 80,
                    "nation_participations": 5,
                    "preferred_month_hits": 1,
                }
            ),
            (0, "kpi_mismatch"),
        ),
        (lambda d: d.update(bound={"priority_scheduled": 60}), (0, "bound_below_figure")),
    ],
)
def test_each_broken_rule_is_named(change, expected: tuple[int, str]) -> None:
    assert expected in _tiny_with(change)


def _scenario_with(**changes):
    scenario = load_example("tiny")
    return scenario.model_copy(update=changes)


def test_site_concurrency_and_capacity() -> None:
    scenario = load_example("tiny")
    sites = [
        s.model_copy(update={"capacity_personnel": 200}) if s.id == "PL-DRAWSKO" else s
        for s in scenario.sites
    ]
    tight = scenario.model_copy(update={"sites": sites})
    calendar = load_example_calendar("tiny")
    codes = {v.code for v in check_calendar(tight, calendar).violations}
    assert "site_capacity" in codes
    data = calendar.model_dump(mode="json")
    _ch95(data).update(start="1995-06-05", end="1995-06-11")
    scenario_wide = scenario.model_copy(
        update={"exercises": [e.model_copy(update={"window": None}) for e in scenario.exercises]}
    )
    codes = {
        v.code for v in check_calendar(scenario_wide, Calendar.model_validate(data)).violations
    }
    assert "site_concurrent" in codes


def test_nation_limits_and_budget() -> None:
    scenario = load_example("tiny")
    nations = [
        n.model_copy(update={"max_exercises": 1, "budget_person_days": 400})
        if n.code == "NL"
        else n
        for n in scenario.nations
    ]
    codes = {
        v.code
        for v in check_calendar(
            scenario.model_copy(update={"nations": nations}), load_example_calendar("tiny")
        ).violations
    }
    assert {"nation_max_exercises", "nation_budget"} <= codes


def test_after_pins_and_mandatory() -> None:
    scenario = load_example("tiny")
    from solver import AfterLink, Pin

    exercises = []
    for e in scenario.exercises:
        if e.id == "CH95":
            e = e.model_copy(update={"after": [AfterLink(exercise="CB95", gap_days=10)]})
        if e.id == "CB95":
            e = e.model_copy(update={"pinned": Pin(start=dt.date(1995, 6, 2))})
        if e.id == "CV95":
            e = e.model_copy(update={"mandatory": True})
        exercises.append(e)
    codes = {
        v.code
        for v in check_calendar(
            scenario.model_copy(update={"exercises": exercises}), load_example_calendar("tiny")
        ).violations
    }
    assert {"after_gap", "pin_start", "mandatory_unscheduled"} <= codes


def test_infeasible_calendar_must_be_empty() -> None:
    data = load_example_calendar("tiny").model_dump(mode="json")
    data["status"] = "infeasible"
    codes = {
        v.code
        for v in check_calendar(load_example("tiny"), Calendar.model_validate(data)).violations
    }
    assert "infeasible_not_empty" in codes
