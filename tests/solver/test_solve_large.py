"""The large-programme path: capped candidates, greedy calendar, neighbourhood search."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver import Progress, SolveParams, generate, solve
from solver.check import check_calendar
from solver.greedy import greedy_plan
from solver.lns import neighbourhood
from solver.model.build import build_model
from solver.model.candidates import prepare
from solver.model.objective import lexicographic
from solver.search import add_hints, plan_kpi, read_plan
from tests.solver.helpers import assert_calendar_valid, plan_calendar


def test_capped_candidates_keep_nations_for_min_nations() -> None:
    scenario = generate("S", 2)
    c = prepare(scenario, cap_units=2)
    assert c.capped
    for ec in c.exercises.values():
        for req in ec.exercise.requirements:
            assert len(ec.by_capability[req.capability]) >= min(req.units, 1)
        nations = {c.units[u].nation for u in ec.units}
        assert len(nations) >= ec.exercise.min_nations


def test_greedy_calendar_keeps_every_rule_but_maybe_a_must_have() -> None:
    """The greedy may fail to place a must-have (the model then does); nothing else."""
    for size, seed in (("S", 1), ("S", 2), ("M", 1), ("M", 2)):
        scenario = generate(size, seed)
        c = prepare(scenario)
        plan = greedy_plan(c)
        calendar = plan_calendar(scenario, c, plan)
        result = check_calendar(scenario, calendar)
        broken = [v for v in result.violations if v.code != "mandatory_unscheduled"]
        assert not broken, broken
        assert plan_kpi(c, plan) == result.kpi


def test_a_neighbourhood_replanned_with_the_rest_held_keeps_every_rule() -> None:
    scenario = generate("M", 2)
    c = prepare(scenario)
    plan = greedy_plan(c)
    placed = sorted(plan, key=lambda e: plan[e].start)
    chosen = placed[5:20] + [e for e in c.exercises if e not in plan][:8]
    held = {e: p for e, p in plan.items() if e not in chosen}
    sub = neighbourhood(c, chosen, held)
    cm = build_model(sub)
    add_hints(cm, {e: p for e, p in plan.items() if e in sub.exercises})
    cm.model.maximize(lexicographic(cm.figures, cm.weights))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.cp_model_probing_level = 0  # as the neighbourhood search does
    assert solver.solve(cm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    merged = {**held, **read_plan(cm, solver.value)}
    calendar = plan_calendar(scenario, c, merged)
    assert_calendar_valid(scenario, calendar)
    assert plan_kpi(c, merged).as_tuple() >= plan_kpi(c, plan).as_tuple()


def test_large_path_is_valid_and_no_worse_than_greedy() -> None:
    scenario = generate("M", 3)
    calendar = solve(scenario, SolveParams(time_limit_s=4, workers=1, cap_units=4))
    assert_calendar_valid(scenario, calendar)
    assert calendar.status == "feasible"
    stats = calendar.stats
    assert stats is not None and stats.capped and stats.greedy_kpi is not None
    assert calendar.kpi.as_tuple() >= stats.greedy_kpi.as_tuple()
    assert any(p.startswith("neighbourhood search") for p in stats.phases)
    assert calendar.bound is not None
    assert calendar.bound.priority_scheduled >= calendar.kpi.priority_scheduled


def test_should_stop_ends_the_neighbourhood_search() -> None:
    scenario = generate("M", 2)
    calls = {"after_greedy": 0}
    greedy_seen = {"yes": False}

    def on_progress(p: Progress) -> None:
        greedy_seen["yes"] = greedy_seen["yes"] or p.source == "greedy"

    def stop_soon() -> bool:  # a few steps into the neighbourhood search
        if greedy_seen["yes"]:
            calls["after_greedy"] += 1
        return calls["after_greedy"] > 3

    params = SolveParams(
        time_limit_s=60, workers=1, cap_units=4, should_stop=stop_soon, progress=on_progress
    )
    calendar = solve(scenario, params)
    assert_calendar_valid(scenario, calendar)
    assert calendar.stats is not None and calendar.stats.solve_s < 60
    assert calendar.stats.stopped
    assert any(p.startswith("neighbourhood search") for p in calendar.stats.phases)
