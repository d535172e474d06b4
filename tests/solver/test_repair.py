"""Repairs of a stalled first figure bring in the exercises a plan lacks (`solver.repair`)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from solver import Progress, SolveParams, generate, search, solve
from solver import repair as repair_module
from solver.greedy import greedy_plan
from solver.lns import near_placements, neighbourhood
from solver.model import days as d
from solver.model.bound import sharp_priority_bound
from solver.model.build import build_model
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from solver.repair import fill, repair, without_shortfalls
from solver.search import plan_key, plan_kpi
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
    monkeypatch.setattr(repair_module, "FILL_S", 0.0)  # the repairs alone
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
    monkeypatch.setattr(repair_module, "FILL_S", 0.0)  # the repairs alone
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


def _relaxed(c):
    conflicts = set(data_conflict_reasons(c, lambda: False))
    return sharp_priority_bound(c, 30, 0, None, conflicts)


@pytest.mark.parametrize(("lns_only", "workers"), [(True, 2), (True, 1), (False, 2)])
def test_the_fill_schedules_the_relaxations_set_and_keeps_every_rule(
    monkeypatch: pytest.MonkeyPatch, lns_only: bool, workers: int
) -> None:
    # S/2: the greedy schedules 9 exercises (423), the relaxation's optimum all 12 (475); by
    # CP-SAT's neighbourhood workers alone (as in a solve) or its whole portfolio
    monkeypatch.setattr(repair_module, "FILL_LNS_ONLY", lns_only)
    scenario = generate("S", 2)
    c = prepare(scenario)
    sharp = _relaxed(c)
    plan = greedy_plan(c)
    assert plan_kpi(c, plan).priority_scheduled < sharp.value
    seen: list[Progress] = []
    t0 = time.perf_counter()
    params = SolveParams(workers=workers, seed=1)
    filled = fill(c, plan, sharp.chosen, params, t0, t0 + 30, sharp.value, seen.append)
    assert filled is not None
    assert set(filled) == set(sharp.chosen)
    assert plan_kpi(c, filled).priority_scheduled == sharp.value
    assert [p.source for p in seen] == ["cp-sat fill"] and seen[0].kpi == plan_kpi(c, filled)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, filled))


def test_the_fill_leaves_a_plan_that_has_the_set_or_no_time() -> None:
    c = prepare(generate("S", 2))
    sharp = _relaxed(c)
    plan = greedy_plan(c)
    params = SolveParams(workers=2, seed=1)
    t0 = time.perf_counter()
    assert fill(c, plan, list(plan), params, t0, t0 + 30, sharp.value, None) is None
    assert fill(c, plan, sharp.chosen, params, t0, t0, sharp.value, None) is None
    stopped = SolveParams(workers=2, seed=1, should_stop=lambda: True)
    assert fill(c, plan, sharp.chosen, stopped, t0, t0 + 30, sharp.value, None) is None


def test_the_shortfall_model_lets_requirements_fall_short_only_when_asked() -> None:
    c = prepare(generate("S", 2))
    assert build_model(c).variables.shortfalls is None
    shortfalls = build_model(c, shortfalls=True).variables.shortfalls
    requirements = sum(len(ec.exercise.requirements) for ec in c.exercises.values())
    assert shortfalls is not None and len(shortfalls) >= requirements
    assert all(v.name.startswith("short[exercise=") for v in shortfalls)


def test_a_stalled_phase_1_is_filled_in(monkeypatch: pytest.MonkeyPatch) -> None:
    # every plan "stalls" at once: the fill from phase 1's first plan (M/1: about a second)
    monkeypatch.setattr(search, "STALL_S", 0.0)
    scenario = generate("M", 1)
    seen: list[Progress] = []
    params = SolveParams(time_limit_s=8, workers=2, seed=1, progress=seen.append)
    calendar = solve(scenario, params)
    assert_calendar_valid(scenario, calendar)
    assert calendar.stats is not None
    notes = [p for p in calendar.stats.phases if p.startswith("phase 1 stalled: ")]
    assert notes and notes[0].startswith("phase 1 stalled: the relaxation's set filled in, "), notes
    assert any(p.source == "cp-sat fill" for p in seen)
    assert calendar.kpi.priority_scheduled == 2030


def test_every_filled_plan_keeps_every_rule() -> None:
    # generated S programmes: whatever the fill returns passes the independent checker (the
    # shortfall model is a model of the fill only) and is better than the plan it began
    # from; it schedules the relaxation's set, or that set less what still fell short when
    # its time ran out (the set is not proven to fit together: S/5, 12 exercises, 546)
    filled_in = 0
    for seed in range(3, 11):
        scenario = generate("S", seed)
        c = prepare(scenario)
        sharp = _relaxed(c)
        plan = greedy_plan(c)
        t0 = time.perf_counter()
        params = SolveParams(workers=2, seed=seed)
        filled = fill(c, plan, sharp.chosen, params, t0, t0 + 10, sharp.value or 0, None)
        if filled is None:
            continue
        assert plan_key(c, filled) > plan_key(c, plan)
        assert set(filled) <= set(sharp.chosen)
        assert_calendar_valid(scenario, plan_calendar(scenario, c, filled))
        filled_in += set(filled) == set(sharp.chosen)
    assert filled_in >= 4, filled_in  # 5 of 8 when written: 3, 4, 6, 9, 10


@pytest.mark.parametrize("keeps_partial", [True, False])
def test_a_fill_that_falls_short_gives_its_plan_without_what_is_short(
    monkeypatch: pytest.MonkeyPatch, keeps_partial: bool
) -> None:
    # S/2 with every nation in 3 exercises at most and no must-haves: its 12 exercises cannot
    # all have the units and nations they need, so the fill always falls short. From the
    # empty plan it gives the exercises it completed (3-5 of 12 when written), a plan that
    # keeps every rule; or nothing, with `FILL_KEEPS_PARTIAL` off
    monkeypatch.setattr(repair_module, "FILL_KEEPS_PARTIAL", keeps_partial)
    scenario = generate("S", 2)
    scenario = scenario.model_copy(
        update={
            "nations": [n.model_copy(update={"max_exercises": 3}) for n in scenario.nations],
            "exercises": [
                e.model_copy(update={"mandatory": False, "pinned": None})
                for e in scenario.exercises
            ],
        }
    )
    c = prepare(scenario)
    t0 = time.perf_counter()
    params = SolveParams(workers=2, seed=1)
    filled = fill(c, {}, list(c.exercises), params, t0, t0 + 5, 10**6, None)
    if not keeps_partial:
        assert filled is None
        return
    assert filled is not None and 0 < len(filled) < len(c.exercises)
    assert without_shortfalls(c, filled) == filled
    assert_calendar_valid(scenario, plan_calendar(scenario, c, filled))


def test_without_shortfalls_leaves_out_the_short_and_what_follows_them() -> None:
    # S/1's greedy plan, each exercise in turn stripped of its units: it is left out, with
    # every exercise `after` it (transitively), and nothing else; a plan with nothing short
    # is kept whole (EX0010 comes after EX0001, EX0009 after EX0006)
    c = prepare(generate("S", 1))
    plan = greedy_plan(c)
    assert without_shortfalls(c, plan) == plan
    followed = 0
    for eid in plan:
        short = {**plan, eid: dataclasses.replace(plan[eid], units=())}
        gone = {eid}
        while more := {
            x
            for x in plan
            if x not in gone
            and any(link.exercise in gone for link in c.exercises[x].exercise.after)
        }:
            gone |= more
        followed += len(gone) > 1
        assert without_shortfalls(c, short) == {x: p for x, p in plan.items() if x not in gone}
    assert followed, "no `after` link among S/1's placed exercises"
