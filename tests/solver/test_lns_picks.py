"""The neighbourhood search spends no neighbourhood on an exercise the data conflicts keep out."""

from __future__ import annotations

import random

from solver import SolveParams, generate, solve
from solver.greedy import greedy_plan
from solver.lns import _pick, _pick_blockers, _pick_nations
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from tests.solver.helpers import assert_calendar_valid

PICKERS = (_pick, _pick_blockers, _pick_nations)


def _hopeless_case():
    scenario = generate("S", 1)
    c = prepare(scenario)
    conflicts = data_conflict_reasons(c)
    hopeless = frozenset(conflicts) & set(c.exercises)
    assert hopeless, "S/1 has an exercise among the candidates that a data conflict keeps out"
    return scenario, c, hopeless, conflicts


def test_pickers_leave_out_the_hopeless_exercises() -> None:
    _, c, hopeless, _ = _hopeless_case()
    plan = greedy_plan(c)
    assert not hopeless & set(plan)
    rnd = random.Random(5)
    picked_without = set()
    for _ in range(60):
        for pick in PICKERS:
            assert not hopeless & set(pick(c, plan, rnd, hopeless))
            picked_without |= set(pick(c, plan, rnd))
    # the same draws without `hopeless` do pick them: the filter is what keeps them out
    assert hopeless <= picked_without


def test_solve_with_hopeless_exercises_still_names_their_conflict() -> None:
    scenario, _, hopeless, conflicts = _hopeless_case()
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1, seed=1, cap_units=3))
    assert_calendar_valid(scenario, calendar)
    assert any(p.startswith("neighbourhood search") for p in calendar.stats.phases)
    for item in calendar.unscheduled:
        if item.exercise in hopeless:
            expected = {r.code for r in conflicts[item.exercise]}
            assert expected <= {r.code for r in item.reasons}
    assert not hopeless & {x.exercise for x in calendar.scheduled}
