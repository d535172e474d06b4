"""`desired_exercises` as a wish: a fourth figure after the spec's three, never traded for them.

The solver reports it as `stats.desired_exercises_met` (over nations with a wish, the exercises
each joins, counted up to the wish); the independent checker recomputes it.
"""

from __future__ import annotations

import pytest

from solver import SolveParams, generate, parse_scenario, solve
from solver.check import check_calendar, desired_exercises_met
from tests.solver.helpers import assert_calendar_valid
from tests.solver.solve_helpers import entry, exercise, scenario, solved, unit

NATIONS = [{"code": "PL", "name": "Poland"}, {"code": "RO", "name": "Romania"}]


def _one_place(wish: str) -> object:
    """One exercise, one place for a unit, a Polish and a Romanian unit: a tie on all three
    figures that only the wish of `wish` can break."""
    nations = [dict(n, desired_exercises=1) if n["code"] == wish else n for n in NATIONS]
    return scenario(units=[unit("PL-1"), unit("RO-1", "RO")], nations=nations)


@pytest.mark.parametrize(("wish", "chosen"), [("PL", "PL-1"), ("RO", "RO-1")])
def test_the_nation_that_wishes_gets_the_place(wish: str, chosen: str) -> None:
    calendar = solved(_one_place(wish))
    assert calendar.status == "optimal"
    assert entry(calendar, "E1").units == [chosen]
    assert calendar.stats is not None
    assert (calendar.stats.desired_exercises_met, calendar.stats.desired_exercises) == (1, 1)


def test_no_wish_reports_no_wish_figure() -> None:
    calendar = solved(scenario())
    assert calendar.stats is not None and calendar.stats.desired_exercises_met is None


def test_a_wish_never_costs_a_figure() -> None:
    """Romania wishes one exercise, but its unit is free in June only, and the exercise
    prefers July: the third figure comes first, so Poland's unit goes, in July."""
    s = parse_scenario(
        {
            "format": "pfp-scenario/1",
            "name": "wish against preferred month",
            "horizon": {"start": "1995-06-20", "end": "1995-07-10"},
            "nations": [
                {"code": "PL", "name": "Poland"},
                {"code": "RO", "name": "Romania", "desired_exercises": 1},
            ],
            "units": [
                unit("PL-1"),
                unit("RO-1", "RO", availability=[{"start": "1995-06-20", "end": "1995-06-30"}]),
            ],
            "sites": [{"id": "S1", "name": "Site one", "host": "PL"}],
            "exercises": [exercise("E1", 3, preferred_months=[7])],
        }
    )
    calendar = solved(s)
    assert calendar.status == "optimal"
    assert entry(calendar, "E1").units == ["PL-1"]
    assert entry(calendar, "E1").start.month == 7
    assert calendar.kpi.preferred_month_hits == 1
    assert calendar.stats is not None and calendar.stats.desired_exercises_met == 0


def test_the_checker_catches_a_false_wish_figure() -> None:
    s = _one_place("RO")
    calendar = solved(s)
    assert calendar.stats is not None
    calendar.stats.desired_exercises_met = 0
    codes = [v.code for v in check_calendar(s, calendar).violations]
    assert codes == ["wishes_mismatch"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_wishes_change_no_figure_of_the_spec(seed: int) -> None:
    """With and without the nations' wishes, proven calendars have the same three figures,
    and the one that heeds the wishes meets at least as many."""
    with_wishes = generate("S", seed)
    assert any(n.desired_exercises for n in with_wishes.nations)
    without = with_wishes.model_copy(
        update={
            "nations": [
                n.model_copy(update={"desired_exercises": None}) for n in with_wishes.nations
            ]
        }
    )
    params = SolveParams(time_limit_s=20, workers=1, seed=0)
    heeded = solve(with_wishes, params)
    ignored = solve(without, params)
    assert_calendar_valid(with_wishes, heeded)
    assert_calendar_valid(without, ignored)
    assert heeded.status == ignored.status == "optimal"
    assert heeded.kpi == ignored.kpi
    assert heeded.stats is not None
    assert heeded.stats.desired_exercises_met == desired_exercises_met(with_wishes, heeded)
    assert heeded.stats.desired_exercises_met >= desired_exercises_met(with_wishes, ignored)


def test_wishes_give_way_when_exact_weights_cannot_hold_them(monkeypatch) -> None:
    """A programme too large for exact weights with the wish figure still gets its model:
    without the wish figure, the three figures' weights exact as ever."""
    from solver.model import objective
    from solver.model.build import build_model
    from solver.model.candidates import prepare

    c = prepare(_one_place("RO"))
    with_wishes = build_model(c)
    assert with_wishes.weights.wishes == 1
    most_priority = sum(ec.exercise.priority for ec in c.exercises.values())
    without = objective.weights(with_wishes.variables, wishes=False)
    assert without.priority < with_wishes.weights.priority
    monkeypatch.setattr(objective, "EXACT_LIMIT", (most_priority + 1) * without.priority + 1)
    cm = build_model(c)
    assert (cm.weights.wishes, cm.weights.most_wishes) == (0, 0)
    assert cm.weights.priority == without.priority
    monkeypatch.setattr(objective, "EXACT_LIMIT", (most_priority + 1) * without.priority)
    with pytest.raises(OverflowError):
        build_model(c)
