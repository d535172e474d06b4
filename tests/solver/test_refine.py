"""Phase 2 on a mid-sized full model: CP-SAT, then neighbourhoods, then CP-SAT again."""

from __future__ import annotations

import random
import threading
import time
from typing import NamedTuple

import pytest
from ortools.sat.python import cp_model

from solver import Progress, Scenario, SolveParams, generate, lns, solve
from solver.greedy import Plan, greedy_plan
from solver.lns import _pick_nations, improve
from solver.model.candidates import Candidates, prepare
from solver.search import plan_key, plan_kpi, read_plan
from tests.solver.helpers import assert_calendar_valid, plan_calendar


def test_unproven_phase_2_is_refined_by_neighbourhoods_then_searched_again() -> None:
    scenario = generate("M", 1)
    seen: list[Progress] = []
    calendar = solve(scenario, SolveParams(time_limit_s=12, workers=2, progress=seen.append))
    assert_calendar_valid(scenario, calendar)
    stats = calendar.stats
    assert stats is not None and not stats.capped
    steps = [p.split(":")[0] for p in stats.phases]
    while steps[-1] in ("spread over the year", "shorter travel"):  # after the search
        steps.pop()
    assert steps[-3:] == [
        "phase 2 (nations, months, wishes)",
        "neighbourhood search",
        "phase 2 again, from the refined plan",
    ], stats.phases
    assert stats.greedy_kpi is not None
    assert calendar.kpi.as_tuple() >= stats.greedy_kpi.as_tuple()
    keys = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert keys[-1] == (*calendar.kpi.as_tuple(), stats.desired_exercises_met)


def test_a_small_programme_is_still_proven_in_phase_2() -> None:
    scenario = generate("S", 2)
    calendar = solve(scenario, SolveParams(time_limit_s=20, workers=2, seed=0))
    assert_calendar_valid(scenario, calendar)
    assert calendar.status == "optimal"
    assert calendar.stats is not None
    assert not any(p.startswith("neighbourhood") for p in calendar.stats.phases)


def test_nation_neighbourhood_holds_what_the_missing_nations_need() -> None:
    c = prepare(generate("M", 1))
    plan = greedy_plan(c)
    rnd = random.Random(3)
    for _ in range(20):
        chosen = _pick_nations(c, plan, rnd)
        target = chosen[0]
        assert target in plan and len(set(chosen)) == len(chosen)
        assert all(e in plan for e in chosen)
        ec = c.exercises[target]
        present = {c.units[u].nation for u in plan[target].units}
        missing = {c.units[u].nation for u in ec.units} - present
        assert missing, "the target could take more nations"
        # every other chosen exercise holds a missing nation's unit, is near in time, or is
        # one where a nation of the target could go instead (it has candidate units there)
        for e in chosen[1:]:
            nations = {c.units[u].nation for u in plan[e].units}
            near = abs(plan[e].start - plan[target].start) <= ec.duration + 60
            could_go = {c.units[u].nation for u in c.exercises[e].units} - nations
            assert nations & missing or near or present & could_go


def _nations_with_room(c, plan, eid: str) -> set[str]:
    """Written apart from `lns._nation_room`: nations of `eid`'s candidate units that are
    under their `max_exercises` and can fund their cheapest unit there."""
    joined: dict[str, int] = {}
    spent: dict[str, int] = {}
    for other, p in plan.items():
        for code in {c.units[u].nation for u in p.units}:
            joined[code] = joined.get(code, 0) + 1
        for u in p.units:
            cost = c.units[u].personnel * c.exercises[other].duration
            spent[c.units[u].nation] = spent.get(c.units[u].nation, 0) + cost
    ec = c.exercises[eid]
    room = set()
    for code in {c.units[u].nation for u in ec.units}:
        nation = c.nations[code]
        if nation.max_exercises is not None and joined.get(code, 0) >= nation.max_exercises:
            continue
        cheapest = min(
            c.units[u].personnel * ec.duration for u in ec.units if c.units[u].nation == code
        )
        if (
            nation.budget_person_days is not None
            and spent.get(code, 0) + cheapest > nation.budget_person_days
        ):
            continue
        room.add(code)
    return room


def test_nation_neighbourhood_targets_a_nation_that_can_still_join() -> None:
    """A nation at its `max_exercises` (or out of budget) adds nothing wherever it goes: the
    target is an exercise that a missing nation with room could join, when there is one."""
    c = prepare(generate("M", 2))
    plan = greedy_plan(c)
    missing = {
        eid: {c.units[u].nation for u in c.exercises[eid].units}
        - {c.units[u].nation for u in p.units}
        for eid, p in plan.items()
    }
    open_ = {eid for eid in plan if missing[eid] & _nations_with_room(c, plan, eid)}
    only_at_limit = {eid for eid in plan if missing[eid]} - open_
    assert open_ and only_at_limit, "M/2's greedy plan has exercises of both kinds"
    rnd = random.Random(7)
    targets = {_pick_nations(c, plan, rnd)[0] for _ in range(40)}
    assert targets <= open_
    assert len(targets) > 1


def test_nation_neighbourhood_falls_back_when_no_nation_has_room() -> None:
    c = prepare(generate("M", 1))
    plan = greedy_plan(c)
    joined: dict[str, int] = {}
    for p in plan.values():
        for code in {c.units[u].nation for u in p.units}:
            joined[code] = joined.get(code, 0) + 1
    # every nation at its limit: no exercise can gain a nation by itself
    c.nations = {
        code: n.model_copy(update={"max_exercises": joined.get(code, 0)})
        for code, n in c.nations.items()
    }
    rnd = random.Random(3)
    for _ in range(10):
        target = _pick_nations(c, plan, rnd)[0]
        present = {c.units[u].nation for u in plan[target].units}
        assert {c.units[u].nation for u in c.exercises[target].units} - present


def test_refinement_searches_neighbourhoods_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers, two neighbourhoods are searched at once (one CP-SAT worker each);
    every plan it reports is better than the last, and the plan it ends with keeps every rule."""
    scenario = generate("M", 1)
    c = prepare(scenario)
    start = greedy_plan(c)
    models: list[str] = []  # the thread that built each step's model
    build = lns._step_model

    def spy(*args, **kwargs):
        models.append(threading.current_thread().name)
        return build(*args, **kwargs)

    monkeypatch.setattr(lns, "_step_model", spy)
    seen: list[Progress] = []
    params = SolveParams(time_limit_s=5, workers=2, seed=3)
    searched = improve(
        c, start, params, time.perf_counter(), seen.append, 10**6, priority_first=False
    )
    plan = searched.plan
    assert searched.ended == "the time limit"
    assert searched.steps >= len(models) > 2
    assert {name.rsplit("_", 1)[0] for name in models} == {"pfp-lns"}
    assert len(set(models)) == 2
    keys = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert plan_key(c, plan) > plan_key(c, start)
    assert keys[-1] == plan_key(c, plan)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, plan))


def test_one_worker_refines_one_neighbourhood_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker (reproducible): the steps run one after the other, on the calling thread."""
    c = prepare(generate("M", 2))
    names: set[str] = set()
    build = lns._step_model

    def spy(*args, **kwargs):
        names.add(threading.current_thread().name)
        return build(*args, **kwargs)

    monkeypatch.setattr(lns, "_step_model", spy)
    params = SolveParams(time_limit_s=60, workers=1, seed=1, lns_steps=4)
    start = greedy_plan(c)
    searched = improve(c, start, params, time.perf_counter(), None, 10**6, priority_first=False)
    plan = searched.plan
    assert (searched.steps, searched.ended) == (4, "its step count")
    assert names == {threading.current_thread().name}
    assert plan_key(c, plan) >= plan_key(c, start)


def test_a_step_across_the_year_adds_nations_and_keeps_every_exercise_near_its_place() -> None:
    """Every placed exercise within `YEAR_SLACK` days of its start at its site, every unit
    free: CP-SAT with its full linearization finds more nation participations, the first
    figure kept."""
    scenario = generate("M", 1)
    c = prepare(scenario)
    start = greedy_plan(c)
    built = lns._step_model(c, lns._Step(1, list(start), start, year=True), None, False)
    assert built is not None
    cm, held = built
    assert held == {}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = lns.YEAR_LINEARIZATION
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(cm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    plan = read_plan(cm, solver.value)
    assert set(plan) == set(start)
    for eid, p in plan.items():
        assert p.site == start[eid].site
        assert abs(p.start - start[eid].start) <= lns.YEAR_SLACK
    before, after = plan_kpi(c, start), plan_kpi(c, plan)
    assert after.priority_scheduled == before.priority_scheduled
    assert after.nation_participations > before.nation_participations
    assert_calendar_valid(scenario, plan_calendar(scenario, c, plan))


class _Refined(NamedTuple):
    scenario: Scenario
    c: Candidates
    start: Plan
    searched: lns.Searched


def _refined_from_greedy(
    size: str, params: SolveParams, seen: list[Progress] | None = None
) -> _Refined:
    """The refinement of the greedy plan of generated `size`/1, the first figure taken as at
    its bound (steps across the year allowed from the start)."""
    scenario = generate(size, 1)
    c = prepare(scenario)
    start = greedy_plan(c)
    bound = plan_kpi(c, start).priority_scheduled
    report = None if seen is None else seen.append
    searched = improve(c, start, params, time.perf_counter(), report, bound, priority_first=False)
    return _Refined(scenario, c, start, searched)


def test_refinement_at_the_bound_takes_steps_across_the_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two workers, the first figure at its bound: steps across the year among the
    neighbourhoods, named in the search's note; every reported plan better than the last.
    (No wait for idle neighbourhoods: from the greedy plan they gain for long.)"""
    monkeypatch.setattr(lns, "YEAR_AFTER_IDLE", 0)
    seen: list[Progress] = []
    scenario, c, start, searched = _refined_from_greedy(
        "M", SolveParams(time_limit_s=8, workers=2, seed=2), seen
    )
    assert searched.year_steps >= 1
    assert f"({searched.year_steps} across the year" in searched.note
    keys = [(*p.kpi.as_tuple(), p.desired_exercises_met) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert plan_key(c, searched.plan) > plan_key(c, start)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, searched.plan))


def test_a_step_across_the_year_that_proves_its_optimum_turns_on_the_full_lp() -> None:
    """Once a step across the year proves nothing more is to be had at the plan's dates and
    sites, the later steps use CP-SAT's full linearization; the note says from which step."""
    scenario, c, start, searched = _refined_from_greedy(
        "S", SolveParams(time_limit_s=4, workers=2, seed=3)
    )
    assert searched.settled_at is not None
    assert 1 < searched.settled_at <= searched.steps + 1
    assert f"the full LP from step {searched.settled_at}" in searched.note
    assert plan_key(c, searched.plan) >= plan_key(c, start)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, searched.plan))


def test_no_step_across_the_year_before_the_neighbourhoods_stop_gaining(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step across the year waits for `YEAR_AFTER_IDLE` neighbourhood steps in a row with
    no better plan: never reached, there is none; on S, whose neighbourhoods soon find
    nothing more, there are (the test above, with the wait as it is)."""
    monkeypatch.setattr(lns, "YEAR_AFTER_IDLE", 10**6)
    scenario, c, start, searched = _refined_from_greedy(
        "S", SolveParams(time_limit_s=4, workers=2, seed=3)
    )
    assert searched.steps > 3 and searched.year_steps == 0, searched.note
    assert plan_key(c, searched.plan) >= plan_key(c, start)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, searched.plan))


def test_a_step_across_the_year_runs_alone_on_every_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step across the year waits for the neighbourhood steps running and takes every
    worker, CP-SAT's full-LP worker among them (`YEAR_SUBSOLVER`); the neighbourhood steps
    run side by side, one worker each."""
    running: list[int] = []
    solves: list[tuple[int, int, list[str]]] = []  # workers, CP-SAT searches at once, subsolvers
    lock = threading.Lock()

    class Counted(lns.Stopper):
        def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel, watcher) -> int:
            with lock:
                running.append(1)
                at_once = len(running)
            time.sleep(0.05)  # a neighbourhood step started beside it would be seen here
            with lock:
                at_once = max(at_once, len(running))
            try:
                return super().run(solver, model, watcher)
            finally:
                with lock:
                    running.pop()
                    p = solver.parameters
                    solves.append((p.num_workers, at_once, list(p.subsolvers)))

    monkeypatch.setattr(lns, "Stopper", Counted)
    monkeypatch.setattr(lns, "YEAR_AFTER_IDLE", 0)
    monkeypatch.setattr(lns, "YEAR_STEP_S", 1.0)
    scenario, c, start, searched = _refined_from_greedy(
        "M", SolveParams(time_limit_s=8, workers=2, seed=4)
    )
    year = [s for s in solves if s[2] == [lns.YEAR_SUBSOLVER]]
    others = [s for s in solves if s[2] == []]
    assert len(year) == searched.year_steps >= 1 and len(year) + len(others) == len(solves)
    assert all(workers == 2 and at_once == 1 for workers, at_once, _ in year), year
    assert all(workers == 1 for workers, _, _ in others)
    assert any(at_once == 2 for _, at_once, _ in others)  # the lanes side by side
    assert plan_key(c, searched.plan) > plan_key(c, start)
    assert_calendar_valid(scenario, plan_calendar(scenario, c, searched.plan))


def test_one_worker_takes_no_step_across_the_year() -> None:
    """Reproducible (one worker): the steps are the neighbourhoods alone."""
    params = SolveParams(time_limit_s=60, workers=1, seed=1, lns_steps=3)
    searched = _refined_from_greedy("M", params).searched
    assert searched.year_steps == 0 and "across the year" not in searched.note
    assert searched.settled_at is None
