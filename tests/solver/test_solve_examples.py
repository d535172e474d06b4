"""`solve` on the spec's examples and on generated programmes: figures, status, reasons."""

from __future__ import annotations

import pytest

from solver import SolveParams, generate, solve
from solver.greedy import greedy_plan
from solver.model.candidates import prepare
from solver.search import plan_kpi
from tests.solver.helpers import assert_calendar_valid, load_example, load_example_calendar
from tests.solver.solve_helpers import exercise, scenario, solved


def test_tiny_gives_the_spec_calendar_figures() -> None:
    scenario = load_example("tiny")
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1))
    assert_calendar_valid(scenario, calendar)
    expected = load_example_calendar("tiny")
    assert calendar.status == "optimal"
    assert calendar.kpi == expected.kpi  # 70 / 5 / 1
    assert calendar.bound == expected.bound
    assert [u.exercise for u in calendar.unscheduled] == ["CV95"]
    (reason,) = calendar.unscheduled[0].reasons
    assert reason.code == "capability_short"
    assert reason.message == expected.unscheduled[0].reasons[0].message


def test_tiny_infeasible_is_infeasible_and_says_why() -> None:
    scenario = load_example("tiny-infeasible")
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1))
    assert_calendar_valid(scenario, calendar)
    expected = load_example_calendar("tiny-infeasible")
    assert calendar.status == "infeasible"
    assert calendar.scheduled == []
    assert calendar.bound is None
    got = {u.exercise: [(r.code, r.message) for r in u.reasons] for u in calendar.unscheduled}
    want = {u.exercise: [(r.code, r.message) for r in u.reasons] for u in expected.unscheduled}
    assert got == want


def test_stats_say_how_the_calendar_was_found() -> None:
    calendar = solve(load_example("tiny"), SolveParams(time_limit_s=5, workers=1))
    stats = calendar.stats
    assert stats is not None
    assert stats.candidate_pairs == 5  # 2 + 1 for CB95, 1 + 1 for CH95; CV95 has none
    assert stats.capped is False
    assert stats.greedy_kpi is not None
    assert 0 <= stats.build_s <= stats.solve_s
    assert stats.first_solution_s is not None
    assert stats.phases[0] == "greedy" and "OPTIMAL" in stats.phases[-1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_small_programme_is_valid_and_no_worse_than_greedy(seed: int) -> None:
    scenario = generate("S", seed)
    calendar = solve(scenario, SolveParams(time_limit_s=3, workers=2, seed=seed))
    assert_calendar_valid(scenario, calendar)
    assert calendar.status in ("optimal", "feasible")
    c = prepare(scenario)
    greedy = plan_kpi(c, greedy_plan(c))
    assert calendar.kpi.as_tuple() >= greedy.as_tuple()
    assert calendar.bound is not None
    assert calendar.kpi.priority_scheduled <= calendar.bound.priority_scheduled
    if calendar.status == "optimal":
        assert calendar.bound.priority_scheduled == calendar.kpi.priority_scheduled
    for left in calendar.unscheduled:
        assert left.reasons and all(r.message for r in left.reasons)


def test_every_reason_names_something_real() -> None:
    scenario = generate("S", 4)
    calendar = solve(scenario, SolveParams(time_limit_s=3, workers=1))
    assert_calendar_valid(scenario, calendar)
    for left in calendar.unscheduled:
        for reason in left.reasons:
            assert reason.code and reason.message.endswith(".")


def test_a_programme_without_exercises_is_optimal_and_empty() -> None:
    s = scenario(exercises=[])
    calendar = solved(s)
    assert calendar.status == "optimal"
    assert calendar.kpi.as_tuple() == (0, 0, 0) and calendar.scheduled == []


def test_an_exercise_nobody_can_join_is_left_out_with_its_reason() -> None:
    e = exercise("E1", mandatory=False, requirements=[{"capability": "sar_vessel", "units": 1}])
    calendar = solved(scenario(exercises=[e]))
    assert calendar.status == "optimal"
    (left,) = calendar.unscheduled
    assert [(r.code, r.message) for r in left.reasons] == [
        ("capability_short", "Needs 1 sar_vessel unit; none is declared.")
    ]
