"""The relaxation's bound on `priority_scheduled` (`solver.model.bound`) is never below the
optimum: checked against the brute-force optimum of tiny scenarios, and against proven
optima of small ones with candidates capped (the bound is about the whole programme)."""

from __future__ import annotations

import pytest

from solver import SolveParams, generate, solve
from solver.model.bound import priority_bound, relaxation
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from tests.solver.helpers import load_example
from tests.solver.test_exhaustive import _random_tiny, brute_force


def _plain(c) -> int:
    return sum(ec.exercise.priority for ec in c.exercises.values())


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("cap_units", [0, 1])
def test_bound_is_at_least_the_brute_force_optimum(seed: int, cap_units: int) -> None:
    s = _random_tiny(seed)
    best = brute_force(s)
    c = prepare(s, cap_units)
    bound = priority_bound(c, 5, impossible=set(data_conflict_reasons(c)))
    if best is None:
        return  # no calendar: any bound (or None) is sound
    assert bound is not None and best[0] <= bound <= _plain(c)


def test_bound_on_the_spec_example() -> None:
    c = prepare(load_example("tiny"))
    assert priority_bound(c, 5) == 70


@pytest.mark.parametrize("seed", range(1, 9))
def test_capped_bound_is_at_least_the_proven_optimum(seed: int) -> None:
    s = generate("S", seed)
    optimal = solve(s, SolveParams(time_limit_s=20, workers=1))
    assert optimal.status == "optimal"
    c = prepare(s, cap_units=1)
    assert c.capped
    bound = priority_bound(c, 5, impossible=set(data_conflict_reasons(c)))
    assert bound is not None
    assert optimal.kpi.priority_scheduled <= bound <= _plain(c)


def test_nation_pace_tightens_the_bound() -> None:
    """Three exercises that each need a Polish unit, and Poland joins at most one."""
    from tests.solver.solve_helpers import exercise, scenario, unit

    s = scenario(
        units=[unit("PL-1"), unit("PL-2"), unit("PL-3")],
        nations=[{"code": "PL", "name": "Poland", "max_exercises": 1}],
        exercises=[
            exercise(f"E{k}", mandatory=False, priority=10 + k, window=_june(1 + 9 * k, 9 + 9 * k))
            for k in range(3)
        ],
    )
    c = prepare(s)
    assert _plain(c) == 33
    assert priority_bound(c, 5) == 12  # the best one alone
    model, x = relaxation(c)
    assert set(x) == {"E0", "E1", "E2"}


def _june(a: int, b: int) -> dict:
    return {"start": f"1995-06-{a:02d}", "end": f"1995-06-{b:02d}"}
