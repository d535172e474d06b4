"""Repairs of a stalled first figure bring in the exercises a plan lacks (`solver.repair`)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from solver import Progress, SolveParams, generate, search, solve
from solver.greedy import greedy_plan
from solver.lns import near_placements, neighbourhood
from solver.model import days as d
from solver.model.bound import sharp_priority_bound
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from solver.repair import repair
from solver.search import plan_kpi
from tests.solver.helpers import assert_calendar_valid, plan_calendar, solve_stopped_after


def _dropped(c):
    """The greedy plan, and the same plan less its best exercise that no other one follows."""
    plan = greedy_plan(c)
    followed = {link.exercise for eid in plan for link in c.exercises[eid].exercise.after}
    droppable = [e for e in plan if e not in followed and not c.exercises[e].must]
    gone = max(droppable, key=lambda e: c.exercises[e].exercise.priority)
    return plan, {e: p for e, p in plan.items() if e != gone}, gone


@pytest.mark.parametrize("days", [0, 2])
def test_near_placements_holds_sites_and_starts_and_frees_units(days: int) -> None:
    c = prepare(generate("M", 2))
    plan, less, gone = _dropped(c)
    sub = neighbourhood(c, [*less, gone], {})
    held = near_placements(sub, less, days)
    for eid, p in less.items():
        ec = held.exercises[eid]
        assert d.contains(ec.starts, p.start)
        assert ec.starts[0][0] >= p.start - days and ec.starts[-1][1] <= p.start + days
        assert set(ec.sites) == {p.site}
        assert set(p.units) <= set(ec.units)  # its own units, and others free then
        assert all(
            d.values(runs) and set(d.values(runs)) <= set(d.values(ec.starts))
            for runs in ec.units.values()
        )
        assert all(set(units) <= set(ec.units) for units in ec.by_capability.values())
    assert held.exercises[gone] == sub.exercises[gone]  # the free one as it was


def test_a_repair_brings_back_a_dropped_exercise() -> None:
    scenario = generate("M", 2)
    c = prepare(scenario)
    plan, less, gone = _dropped(c)
    bound = plan_kpi(c, plan).priority_scheduled
    seen: list[Progress] = []
    params = SolveParams(workers=2, seed=1)
    t0 = time.perf_counter()
    repaired, rounds = repair(c, less, list(plan), params, t0, t0 + 30, bound, seen.append)
    assert plan_kpi(c, repaired).priority_scheduled == bound
    assert gone in repaired
    assert rounds >= 1 and seen and seen[-1].source == "cp-sat repair"
    assert seen[-1].kpi == plan_kpi(c, repaired)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, repaired))


def test_a_repair_ends_at_its_time_and_on_a_stop() -> None:
    scenario = generate("M", 2)
    c = prepare(scenario)
    plan = greedy_plan(c)
    out_of_reach = sum(ec.exercise.priority for ec in c.exercises.values())  # the plain bound
    params = SolveParams(workers=2, seed=1)
    t0 = time.perf_counter()
    better, rounds = repair(c, plan, (), params, t0, t0 + 3, out_of_reach, None)
    assert time.perf_counter() - t0 < 10  # its time (3 s) and the last repair's 1.5 s at most
    assert rounds >= 1
    assert plan_kpi(c, better).priority_scheduled >= plan_kpi(c, plan).priority_scheduled
    assert_calendar_valid(scenario, plan_calendar(scenario, c, better))
    stopped = SolveParams(workers=2, seed=1, should_stop=lambda: True)
    same, rounds = repair(c, plan, (), stopped, t0, time.perf_counter() + 30, out_of_reach, None)
    assert same == plan and rounds == 0


def test_the_relaxation_names_the_exercises_of_its_optimum() -> None:
    c = prepare(generate("M", 2))
    conflicts = set(data_conflict_reasons(c, lambda: False))
    sharp = sharp_priority_bound(c, 30, 0, None, conflicts)
    assert sharp.value == 2140 and sharp.cuts
    assert sum(c.exercises[e].exercise.priority for e in sharp.chosen) == sharp.value
    assert not conflicts & set(sharp.chosen)


def test_a_stalled_phase_1_is_repaired(monkeypatch: pytest.MonkeyPatch) -> None:
    # every plan "stalls" at once: phase 1 hands over to the repairs from the first plan
    monkeypatch.setattr(search, "STALL_S", 0.0)
    scenario = generate("M", 2)
    seen: list[Progress] = []
    calendar = solve(
        scenario, SolveParams(time_limit_s=10, workers=2, seed=3, progress=seen.append)
    )
    assert_calendar_valid(scenario, calendar)
    stats = calendar.stats
    assert stats is not None and stats.greedy_kpi is not None
    assert any(p.startswith("phase 1 stalled: ") and "repairs" in p for p in stats.phases)
    assert any(p.source == "cp-sat repair" for p in seen)
    keys = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_a_stop_during_the_repairs_ends_the_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "STALL_S", 0.0)  # the repairs from the first plan
    stats = solve_stopped_after(generate("M", 2), "cp-sat repair").stats
    assert stats is not None
    assert any(p.startswith("phase 1 stalled: ") and "repairs" in p for p in stats.phases)
    assert not any(p.startswith("phase 2") for p in stats.phases)


def test_near_placements_leaves_out_a_placement_the_candidates_do_not_allow() -> None:
    """A start outside the exercise's candidates: left out of the model (with what follows
    it), never an exercise without starts (which CP-SAT would call an invalid model)."""
    c = prepare(generate("M", 2))
    plan = greedy_plan(c)
    follows = {e: [x.exercise for x in c.exercises[e].exercise.after] for e in plan}
    first = next(e for e in plan if any(e in preds for preds in follows.values()))
    bad = {**plan, first: dataclasses.replace(plan[first], start=-100)}
    held = near_placements(neighbourhood(c, list(plan), {}), bad, 2)
    assert first not in held.exercises
    assert not [e for e, preds in follows.items() if first in preds and e in held.exercises]
    assert all(ec.starts for ec in held.exercises.values())
