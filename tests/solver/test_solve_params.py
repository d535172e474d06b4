"""What the caller controls: reproducibility, progress reports, cancelling, capping."""

from __future__ import annotations

import threading

from solver import Progress, SolveParams, generate, solve
from tests.solver.helpers import assert_calendar_valid, load_example


def test_same_seed_one_worker_same_calendar() -> None:
    scenario = generate("S", 5)
    params = SolveParams(time_limit_s=20, workers=1, seed=7)
    first = solve(scenario, params)
    second = solve(scenario, params)
    assert_calendar_valid(scenario, first)
    assert_calendar_valid(scenario, second)
    assert first.status == second.status
    assert first.model_dump(exclude={"stats"}) == second.model_dump(exclude={"stats"})


def test_progress_reports_improving_figures() -> None:
    scenario = generate("S", 1)
    seen: list[Progress] = []
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1, progress=seen.append))
    assert_calendar_valid(scenario, calendar)
    assert seen, "at least the greedy calendar is reported"
    assert seen[0].source == "greedy"
    figures = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert figures == sorted(figures) and len(set(figures)) == len(figures)
    assert calendar.stats is not None
    assert figures[-1] == (*calendar.kpi.as_tuple(), calendar.stats.desired_exercises_met)
    times = [p.elapsed_s for p in seen]
    assert times == sorted(times)
    for p in seen:
        assert p.bound is None or p.bound >= p.kpi.priority_scheduled


def test_should_stop_after_the_greedy_returns_the_greedy_calendar() -> None:
    scenario = generate("S", 1)
    greedy_seen = threading.Event()

    def on_progress(p: Progress) -> None:
        if p.source == "greedy":
            greedy_seen.set()

    params = SolveParams(
        time_limit_s=30, workers=1, progress=on_progress, should_stop=greedy_seen.is_set
    )
    calendar = solve(scenario, params)
    assert_calendar_valid(scenario, calendar)
    assert calendar.status == "feasible"
    assert calendar.stats is not None and calendar.stats.source == "greedy"
    assert calendar.stats.stopped
    assert calendar.kpi == calendar.stats.greedy_kpi


def test_should_stop_during_the_search_stops_it() -> None:
    scenario = generate("M", 1)
    stop = threading.Event()
    improved: list[Progress] = []

    def on_progress(p: Progress) -> None:
        improved.append(p)
        if p.source == "cp-sat":
            stop.set()  # the first CP-SAT improvement: stop there

    params = SolveParams(time_limit_s=60, workers=1, progress=on_progress, should_stop=stop.is_set)
    calendar = solve(scenario, params)
    assert_calendar_valid(scenario, calendar)
    assert stop.is_set()
    assert calendar.status == "feasible"
    assert calendar.stats is not None and calendar.stats.solve_s < 60
    assert calendar.kpi.as_tuple() >= improved[-1].kpi.as_tuple()


def test_capping_candidates_never_claims_optimal() -> None:
    scenario = generate("S", 1)
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1, cap_units=1))
    assert_calendar_valid(scenario, calendar)
    assert calendar.stats is not None and calendar.stats.capped
    assert calendar.status == "feasible"


def test_tiny_with_two_workers_is_optimal() -> None:
    scenario = load_example("tiny")
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=2))
    assert_calendar_valid(scenario, calendar)
    assert calendar.status == "optimal" and calendar.kpi.as_tuple() == (70, 5, 1)
