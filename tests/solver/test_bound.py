"""The relaxation's bound on `priority_scheduled` (`solver.model.bound`) is never below the
optimum: checked against the brute-force optimum of tiny scenarios, and against proven
optima of small ones with candidates capped (the bound is about the whole programme). Its
cuts (sets of exercises proven unable to take place together) sharpen it, and only then."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

import solver.model.bound as bound
from solver import SolveParams, generate, solve
from solver.model.bound import priority_bound, relaxation, sharp_priority_bound
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from tests.solver.helpers import load_example
from tests.solver.test_exhaustive import _random_tiny, brute_force


def _plain(c) -> int:
    return sum(ec.exercise.priority for ec in c.exercises.values())


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("cap_units", [0, 1])
def test_bound_is_at_least_the_brute_force_optimum(seed: int, cap_units: int) -> None:
    s = _random_tiny(seed)
    best = brute_force(s)
    c = prepare(s, cap_units)
    bound = priority_bound(c, 30, impossible=set(data_conflict_reasons(c)))
    if best is None:
        return  # no calendar: any bound (or None) is sound
    assert bound is not None and best[0] <= bound <= _plain(c)
    if not c.capped:  # exact here with the cuts (without them: 21 of these 29)
        assert bound == best[0]


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


def _clashing(priorities: tuple[int, ...] = (10, 7)) -> object:
    """Exercises on the same fixed days (each window is its duration) at the one site, which
    hosts one at a time: the relaxation counts site-days over the month and misses it. Three
    units each, so that a cap of one leaves some out."""
    from tests.solver.solve_helpers import exercise, scenario, unit

    return scenario(
        units=[unit(f"PL-{k}") for k in range(3)],
        exercises=[
            exercise(f"E{k}", mandatory=False, priority=p, window=_june(10 + k, 12 + k))
            for k, p in enumerate(priorities)
        ],
    )


def _relaxation_optimum(c) -> int:
    model, _ = relaxation(c)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    return int(solver.objective_value)


def test_a_clash_the_relaxation_misses_is_cut_off() -> None:
    c = prepare(_clashing())
    assert _relaxation_optimum(c) == 17  # both, on site-days alone
    sharp = sharp_priority_bound(c, 5)
    assert sharp.value == 10  # one of the two, the better
    assert sharp.cuts == (("E0", "E1"),)
    assert sharp.chosen == ("E0",)  # the relaxation's optimum after the cut


def test_the_cut_names_the_clashing_pair_only() -> None:
    """Three exercises on overlapping days and a fourth on days of its own: the cuts name
    pairs that clash, never the exercise that does not."""
    from tests.solver.solve_helpers import exercise, scenario, unit

    s = scenario(
        units=[unit(f"PL-{k}") for k in range(4)],
        exercises=[
            *[
                exercise(f"E{k}", mandatory=False, priority=10 + k, window=_june(10, 12))
                for k in range(3)
            ],
            exercise("LATE", mandatory=False, priority=5, window=_june(20, 22)),
        ],
    )
    c = prepare(s)
    sharp = sharp_priority_bound(c, 5)
    assert sharp.value == 12 + 5
    assert sharp.cuts and all(len(cut) == 2 and "LATE" not in cut for cut in sharp.cuts)


def test_capped_programmes_get_no_cuts() -> None:
    """A capped model leaves units out: a clash there says nothing of the programme."""
    c = prepare(_clashing(), cap_units=1)
    assert c.capped
    assert sharp_priority_bound(c, 5) == bound.RelaxedBound(17)


def test_out_of_checks_the_bound_stays_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bound, "CUT_MAX_CHECKS", 2)  # the first clash, then nothing proven
    c = prepare(_clashing())
    sharp = sharp_priority_bound(c, 5)
    assert sharp == bound.RelaxedBound(17, chosen=("E0", "E1"))  # a guide, not a proof


def test_the_solve_reports_the_sharpened_bound() -> None:
    from tests.solver.solve_helpers import ROOMY, solved

    calendar = solved(_clashing(), ROOMY)
    assert calendar.status == "optimal"
    assert calendar.kpi.priority_scheduled == 10
    assert calendar.bound is not None and calendar.bound.priority_scheduled == 10
    assert calendar.stats is not None
    assert "bound from the relaxation: 10 (1 cuts)" in calendar.stats.phases


def test_a_stop_during_the_cuts_leaves_a_sound_bound() -> None:
    asked = []

    def stop_after_the_relaxation() -> bool:
        asked.append(1)
        return len(asked) > 1

    c = prepare(_clashing())
    sharp = sharp_priority_bound(c, 5, should_stop=stop_after_the_relaxation)
    assert (sharp.value, sharp.cuts) == (17, ())


def test_the_exercise_left_out_of_a_clash_says_with_what() -> None:
    from tests.solver.solve_helpers import ROOMY, solved

    calendar = solved(_clashing(), ROOMY)
    (left_out,) = calendar.unscheduled
    assert left_out.exercise == "E1"
    clash = next(r for r in left_out.reasons if r.code == "clashes_with")
    assert clash.model_extra == {"exercises": ["E0"]}
    assert clash.message.startswith("Proven: no calendar can schedule both it and E0")
    assert clash.message.endswith("Scheduling it means leaving E0 out.")
