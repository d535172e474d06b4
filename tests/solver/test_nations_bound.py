"""The bound on `nation_participations` (`solver.model.bound.nations_bound`): never below the
best nations figure of the calendars at least as good on the first figure (checked against
the brute-force optimum of tiny scenarios), each of its own constraints binding where it
should, and reported by the solve (`SolveStats.nations_bound`)."""

from __future__ import annotations

import pytest

from solver import SolveParams, generate
from solver.model.bound import nations_bound
from solver.model.candidates import prepare
from solver.reasons import data_conflict_reasons
from tests.solver.solve_helpers import exercise, scenario, solved, unit, window
from tests.solver.test_exhaustive import _random_tiny, brute_force

NATIONS = [{"code": c, "name": c} for c in ("PL", "RO", "SE")]


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("cap_units", [0, 1])
def test_bound_is_at_least_the_brute_force_optimum(seed: int, cap_units: int) -> None:
    s = _random_tiny(seed)
    best = brute_force(s)
    if best is None:
        return  # no calendar: any bound is sound
    c = prepare(s, cap_units)
    found = nations_bound(c, best[0], 5, set(data_conflict_reasons(c)))
    assert found is not None and found >= best[1]  # and equal to it for 22 of these 29
    assert (nations_bound(c, best[0] + 1, 5) or 0) <= found  # asking more allows no more


def _two_exercises(**first: object) -> list[dict]:
    """Two optional exercises on days of their own, each taking one to two infantry units."""
    two = [{"capability": "infantry_company", "units": 1, "max_units": 2}]
    return [
        exercise(
            f"E{k}",
            mandatory=False,
            window=window(1 + 10 * k, 3 + 10 * k),
            **{"requirements": two, **(first if k == 0 else {})},
        )
        for k in range(2)
    ]


def _bound(s, priority: int = 0) -> int | None:
    return nations_bound(prepare(s), priority, 5)


def test_places_bound_the_nations_of_an_exercise() -> None:
    units = [unit("PL-1"), unit("RO-1", "RO"), unit("SE-1", "SE")]
    assert _bound(scenario(units, _two_exercises(), nations=NATIONS)) == 4  # two places each
    one_place = _two_exercises(requirements=[{"capability": "infantry_company", "units": 1}])
    assert _bound(scenario(units, one_place, nations=NATIONS)) == 3


def test_personnel_bounds_the_nations_of_an_exercise() -> None:
    units = [unit("PL-1"), unit("RO-1", "RO"), unit("SE-1", "SE")]  # 10 personnel each
    lean = _two_exercises(max_personnel=15)  # room for one unit of ten
    assert _bound(scenario(units, lean, nations=NATIONS)) == 3


def test_a_nations_units_bound_its_participations() -> None:
    """Poland's one unit takes part in one exercise at most: Poland too."""
    units = [unit("PL-1", max_exercises=1), unit("RO-1", "RO")]
    s = scenario(units, _two_exercises(), nations=NATIONS)
    assert _bound(s) == 3
    assert brute_force(s)[1] == 3  # and it is the optimum


def _one_unit_each(**extra: object) -> list[dict]:
    return [unit("PL-1", **extra), unit("RO-1", "RO", **extra), unit("SE-1", "SE", **extra)]


def test_a_nations_days_bound_its_participations() -> None:
    """Each nation's one unit cannot be in two exercises on the same days: one each at most
    (constraint 14), where counting its units' days (13) allows two."""
    two = [{"capability": "infantry_company", "units": 1, "max_units": 2}]
    same_days = [
        exercise(f"E{k}", mandatory=False, window=window(1, 3), requirements=two) for k in range(2)
    ]
    sites = [{"id": f"S{k}", "name": f"Site {k}", "host": "PL"} for k in (1, 2)]
    s = scenario(_one_unit_each(), same_days, sites, NATIONS)
    assert _bound(s) == 3
    assert brute_force(s)[1] == 3


def test_a_nations_rest_days_bound_its_participations() -> None:
    """E0 ends on day 3, E1 starts on day 11: a unit needing 7 days free between them (4 to
    10) takes part in both, one needing 8 in one only."""
    for rest, most in ((7, 4), (8, 3)):
        s = scenario(_one_unit_each(rest_days=rest), _two_exercises(), nations=NATIONS)
        assert _bound(s) == most
        assert brute_force(s)[1] == most


def test_nation_limits_bound_its_participations() -> None:
    units = [unit("PL-1"), unit("RO-1", "RO")]
    limited = [{"code": "PL", "name": "Poland", "max_exercises": 1}, *NATIONS[1:]]
    assert _bound(scenario(units, _two_exercises(), nations=NATIONS)) == 4
    assert _bound(scenario(units, _two_exercises(), nations=limited)) == 3


def test_the_first_figure_held_leaves_fewer_nations() -> None:
    """Romania's one medical team takes part once: in E0 (priority 50, one nation) or in E1
    (priority 10, Romania and Sweden both needed). Most nations: E1; with E0 held, one."""
    medical = {"capability": "medical_team", "units": 1}
    units = [unit("RO-1", "RO", "medical_team", max_exercises=1), unit("SE-1", "SE")]
    exercises = _two_exercises()
    exercises[0].update(priority=50, requirements=[medical])
    exercises[1].update(
        priority=10,
        min_nations=2,
        requirements=[medical, {"capability": "infantry_company", "units": 1}],
    )
    s = scenario(units, exercises, nations=NATIONS)
    assert _bound(s, 0) == 2
    assert _bound(s, 50) == 1
    assert _bound(s, 60) is None  # both: more than the one team can do
    assert brute_force(s)[:2] == (50, 1)


def test_a_stopped_bound_is_none() -> None:
    c = prepare(scenario([unit("PL-1")], _two_exercises(), nations=NATIONS))
    assert nations_bound(c, 0, 5, should_stop=lambda: True) is None


def test_an_optimal_calendar_reports_its_own_nations() -> None:
    calendar = solved(generate("S", 1), SolveParams(time_limit_s=20, workers=1))
    assert calendar.status == "optimal" and calendar.stats is not None
    assert calendar.stats.nations_bound == calendar.kpi.nation_participations


def test_a_replan_reports_the_relaxations_bound() -> None:
    """Re-planning ranks fewest changes before nations: the relaxation bounds them."""
    s = scenario(
        [unit("PL-1"), unit("RO-1", "RO"), unit("SE-1", "SE")],
        _two_exercises(),
        nations=NATIONS,
    )
    first = solved(s)
    again = solved(s, SolveParams(time_limit_s=5, workers=1, base=first))
    assert again.stats is not None and again.stats.nations_bound == 4
    assert again.kpi.nation_participations <= 4
