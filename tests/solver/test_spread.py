"""A programme spread over the year, after the figures: exercises moved to quieter days with
their sites and units, every rule and figure kept."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from solver import parse_scenario
from solver.check import check_calendar, exercise_spread
from solver.greedy import Placement, greedy_plan
from solver.model.candidates import prepare
from solver.search import plan_key
from solver.spread import daily_load, spread_figures, spread_out
from tests.solver.helpers import plan_calendar
from tests.solver.scenario_strategy import scenarios
from tests.solver.solve_helpers import exercise, scenario, solved, unit, window

TWO_SITES = [
    {"id": "S1", "name": "Site one", "host": "PL"},
    {"id": "S2", "name": "Site two", "host": "PL"},
]


def _pair(**first: Any):
    """Two 3-day exercises that may take place any time in June, at two sites, with a unit
    each."""
    return scenario(
        units=[unit("PL-1"), unit("PL-2")],
        sites=TWO_SITES,
        exercises=[
            exercise("E1", 3, window=window(1, 30), **first),
            exercise("E2", 3, window=window(1, 30)),
        ],
    )


def test_two_exercises_on_the_same_days_move_apart() -> None:
    c = prepare(_pair())
    crowded = {"E1": Placement(0, "S1", ("PL-1",)), "E2": Placement(0, "S2", ("PL-2",))}
    assert spread_figures(c, crowded).peak_exercises == 2
    plan, moved = spread_out(c, crowded)
    assert moved == 1
    assert spread_figures(c, plan).peak_exercises == 1
    assert {p.site for p in plan.values()} == {"S1", "S2"}  # sites and units stay
    assert {p.units for p in plan.values()} == {("PL-1",), ("PL-2",)}


def test_the_solver_spreads_the_programme() -> None:
    calendar = solved(_pair())
    assert calendar.stats is not None
    assert calendar.stats.peak_exercises == 1
    assert calendar.stats.exercise_days_by_month == {"1995-06": 6}
    starts = sorted(x.start for x in calendar.scheduled)
    assert (starts[1] - starts[0]).days >= 3


def test_a_preferred_month_hit_is_never_given_up() -> None:
    """E2 runs the whole of June; E1, wanted in June, could only be alone in July: it moves
    as late in June as it can (June 30, one day beside E2), no further."""
    s = scenario(
        units=[unit("PL-1"), unit("PL-2")],
        sites=TWO_SITES,
        horizon=(1, 30),
        exercises=[exercise("E2", 30, window=window(1, 30))],
    ).model_dump(mode="json")
    s["horizon"]["end"] = "1995-07-31"
    s["exercises"].append(
        exercise("E1", 3, window={"start": "1995-06-01", "end": "1995-07-31"})
        | {"preferred_months": [6]}
    )
    for preferred, start in (([6], 29), (None, 30)):  # June 30, or July 1 and alone
        s["exercises"][1]["preferred_months"] = preferred
        c = prepare(parse_scenario(s))
        crowded = {"E2": Placement(0, "S1", ("PL-2",)), "E1": Placement(0, "S2", ("PL-1",))}
        plan, _ = spread_out(c, crowded)
        assert plan["E1"].start == start


def test_a_unit_keeps_its_rest_days_and_a_successor_its_gap() -> None:
    s = scenario(
        units=[unit("PL-1", rest_days=4), unit("PL-2")],
        sites=TWO_SITES,
        exercises=[
            exercise("E1", 3, window=window(1, 30)),
            exercise("E2", 3, window=window(1, 30), after=[{"exercise": "E1", "gap_days": 2}]),
            exercise("E3", 3, window=window(1, 12)),
        ],
    )
    c = prepare(s)
    # E1 on days 8-10 (with E3), PL-1 then needs days 11-14 free; E2 after E1's end + 2
    crowded = {
        "E1": Placement(7, "S1", ("PL-1",)),
        "E2": Placement(14, "S1", ("PL-1",)),
        "E3": Placement(7, "S2", ("PL-2",)),
    }
    plan, _ = spread_out(c, crowded)
    assert plan["E1"].start + 3 + 4 <= plan["E2"].start  # rest days of PL-1
    assert plan["E1"].start + 3 + 2 <= plan["E2"].start  # the after gap
    assert check_calendar(s, plan_calendar(s, c, plan)).ok


def test_a_kept_placement_stays() -> None:
    c = prepare(_pair())
    crowded = {"E1": Placement(0, "S1", ("PL-1",)), "E2": Placement(0, "S2", ("PL-2",))}
    assert spread_out(c, crowded, keep={"E1", "E2"}) == (crowded, 0)


def test_the_checker_flags_a_wrong_spread_figure() -> None:
    s = _pair()
    calendar = solved(s)
    assert exercise_spread(calendar) == (1, {"1995-06": 6})
    assert calendar.stats is not None
    calendar.stats.peak_exercises = 2
    codes = [v.code for v in check_calendar(s, calendar).violations]
    assert codes == ["spread_mismatch"]


@given(scenarios())
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_spreading_keeps_every_rule_and_figure(document: dict[str, Any]) -> None:
    s = parse_scenario(document)
    c = prepare(s)
    before = greedy_plan(c, None)
    after, moved = spread_out(c, before)

    def broken(plan):  # the greedy's may miss a must-have: nothing else, before or after
        return [
            (v.code, v.exercise) for v in check_calendar(s, plan_calendar(s, c, plan)).violations
        ]

    assert broken(after) == broken(before)
    assert {code for code, _ in broken(before)} <= {
        "mandatory_unscheduled",
        "pinned_unscheduled",
    }, broken(before)
    assert plan_key(c, after) == plan_key(c, before)
    squares = [sum(n * n for n in daily_load(c, p)) for p in (before, after)]
    assert squares[1] <= squares[0] and (moved == 0 or squares[1] < squares[0])
