"""Phase 1 of a whole model that stalls is re-planned near its best plan (two workers), once
its repairs (`solver.repair`, tests/solver/test_repair.py) gain nothing more."""

from __future__ import annotations

import time

import pytest

from solver import Progress, SolveParams, generate, repair, search, solve
from solver.greedy import greedy_plan
from solver.model.build import build_model
from solver.model.candidates import prepare
from solver.search import _adopt, _replan_stalled, _Watcher, plan_kpi
from tests.solver.helpers import assert_calendar_valid, plan_calendar, solve_stopped_after


def test_a_stalled_phase_1_is_re_planned_from_its_best_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every plan "stalls" at once: phase 1 hands over to the re-plans from the first plan
    monkeypatch.setattr(search, "STALL_S", 0.0)
    monkeypatch.setattr(repair, "REPAIR_MAX_IDLE", 0)  # no repairs first
    monkeypatch.setattr(repair, "FILL_S", 0.0)  # nor the fill
    monkeypatch.setattr(search, "STALL_AGAIN_S", 1.0)
    scenario = generate("M", 2)
    seen: list[Progress] = []
    params = SolveParams(time_limit_s=8, workers=2, seed=3, progress=seen.append)
    calendar = solve(scenario, params)
    assert_calendar_valid(scenario, calendar)
    stats = calendar.stats
    assert stats is not None and stats.greedy_kpi is not None
    notes = [p for p in stats.phases if p.startswith("phase 1 stalled: re-planned")]
    assert len(notes) == 1, stats.phases
    assert calendar.kpi.priority_scheduled > stats.greedy_kpi.priority_scheduled
    keys = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert keys[-1] == (*calendar.kpi.as_tuple(), stats.desired_exercises_met)


def test_a_stop_during_the_re_plan_ends_the_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    # the re-plan from the first plan would run to phase 1's end (no second stall)
    monkeypatch.setattr(search, "STALL_S", 0.0)
    monkeypatch.setattr(repair, "REPAIR_MAX_IDLE", 0)  # no repairs first
    monkeypatch.setattr(repair, "FILL_S", 0.0)  # nor the fill
    monkeypatch.setattr(search, "STALL_AGAIN_S", 1000.0)
    # the first plan better than the greedy comes from the re-plan
    stats = solve_stopped_after(generate("M", 2), "cp-sat").stats
    assert stats is not None
    assert any(p.startswith("phase 1 stalled: re-planned") for p in stats.phases), stats.phases
    assert not any(p.startswith("phase 2") for p in stats.phases)


def test_one_worker_never_stops_phase_1_for_a_stall(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "STALL_S", 0.0)  # reproducible: no clock decides the search
    scenario = generate("M", 2)  # phase 1 takes seconds here (the stall check polls)
    calendar = solve(scenario, SolveParams(time_limit_s=4, workers=1, seed=0))
    assert_calendar_valid(scenario, calendar)
    assert calendar.stats is not None
    assert any(p.startswith("phase 1 (priority)") for p in calendar.stats.phases)
    assert not any(p.startswith("phase 1 stalled") for p in calendar.stats.phases)


def test_a_re_plan_proves_the_first_figure_when_it_ends_optimal() -> None:
    # S/1 schedules 11 of its 12 exercises at best (566), and its greedy calendar already
    # does: only the re-plan's search, ending optimal, can prove it below the plain bound
    scenario = generate("S", 1)
    c = prepare(scenario)
    watcher, static, t0 = _stalled_at_greedy(c)
    params = SolveParams(time_limit_s=30, workers=2, seed=1)
    note, proven = _replan_stalled(c, watcher, params, t0, static, static, t0 + 30)
    assert proven, note
    assert watcher.plan is not None
    assert plan_kpi(c, watcher.plan).priority_scheduled == 566 < static
    assert note == "phase 1 stalled: re-planned near its best plan (1), priority +0"
    assert_calendar_valid(scenario, plan_calendar(scenario, c, watcher.plan))


def test_a_re_plan_ends_once_its_plan_reaches_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # M/2: a bound just above the greedy's figure; no stall may end the re-plan here, so
    # only reaching the bound ends it long before its time is up
    monkeypatch.setattr(search, "STALL_AGAIN_S", 1000.0)
    scenario = generate("M", 2)
    c = prepare(scenario)
    watcher, static, t0 = _stalled_at_greedy(c)
    greedy = plan_kpi(c, watcher.plan).priority_scheduled
    params = SolveParams(time_limit_s=120, workers=2, seed=1)
    note, _ = _replan_stalled(c, watcher, params, t0, static, greedy + 1, t0 + 120)
    assert time.perf_counter() - t0 < 60, note
    assert plan_kpi(c, watcher.plan).priority_scheduled > greedy
    assert note.startswith("phase 1 stalled: re-planned near its best plan (1)")
    assert_calendar_valid(scenario, plan_calendar(scenario, c, watcher.plan))


def _stalled_at_greedy(c):
    """A phase-1 watcher whose best plan is the greedy calendar; the plain bound; its clock."""
    cm = build_model(c)
    t0 = time.perf_counter()
    watcher = _Watcher(cm, t0, (-1,), None)
    _adopt(watcher, greedy_plan(c))
    static = sum(ec.exercise.priority for ec in c.exercises.values())
    return watcher, static, t0
