"""Phase 2 on a mid-sized full model: CP-SAT, then neighbourhoods, then CP-SAT again."""

from __future__ import annotations

import random

from solver import Progress, SolveParams, generate, solve
from solver.greedy import greedy_plan
from solver.lns import _pick_nations
from solver.model.candidates import prepare
from tests.solver.helpers import assert_calendar_valid


def test_unproven_phase_2_is_refined_by_neighbourhoods_then_searched_again() -> None:
    scenario = generate("M", 1)
    seen: list[Progress] = []
    calendar = solve(scenario, SolveParams(time_limit_s=12, workers=2, progress=seen.append))
    assert_calendar_valid(scenario, calendar)
    stats = calendar.stats
    assert stats is not None and not stats.capped
    steps = [p.split(":")[0] for p in stats.phases]
    if steps[-1] == "shorter travel":  # after the search, when a nearer site had room
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
        # every other chosen exercise either holds a missing nation's unit or is near in time
        for e in chosen[1:]:
            nations = {c.units[u].nation for u in plan[e].units}
            near = abs(plan[e].start - plan[target].start) <= ec.duration + 60
            assert nations & missing or near
