"""Each hard rule of the model in pairs on tiny scenarios: just feasible, just infeasible.

Exercises are mandatory, so a rule that cannot be kept shows as an `infeasible` calendar.
Every calendar is re-checked by the independent checker (`solved`).
"""

from __future__ import annotations

from solver import SolveParams, solve
from tests.solver.solve_helpers import day, entry, exercise, scenario, solved, unit, window


def _ok(s) -> None:
    calendar = solved(s)
    assert calendar.status == "optimal", calendar.unscheduled
    assert not calendar.unscheduled


def _infeasible(s) -> list[str]:
    calendar = solved(s)
    assert calendar.status == "infeasible"
    assert calendar.scheduled == []
    assert all(u.reasons for u in calendar.unscheduled)
    return [r.code for u in calendar.unscheduled for r in u.reasons]


# rule 2: inside the window and the horizon ----------------------------------------------


def test_rule_2_exercise_fills_its_window_exactly() -> None:
    calendar = solved(scenario(exercises=[exercise("E1", 5, window=window(10, 14))]))
    assert (entry(calendar, "E1").start.day, entry(calendar, "E1").end.day) == (10, 14)


def test_rule_2_preferred_month_outside_the_window_is_not_taken() -> None:
    e = exercise("E1", 5, window=window(1, 10), preferred_months=[7])
    calendar = solved(scenario(exercises=[e], horizon=(1, 30)))
    assert entry(calendar, "E1").end.day <= 10
    assert calendar.kpi.preferred_month_hits == 0


# rule 3: site eligible, available, concurrent, capacity ----------------------------------


def test_rule_3_site_available_just_long_enough() -> None:
    site = {"id": "S1", "name": "S", "host": "PL", "availability": [window(5, 7)]}
    calendar = solved(scenario(sites=[site]))
    assert day(calendar, "E1") == 5


def test_rule_3_site_available_one_day_short() -> None:
    site = {"id": "S1", "name": "S", "host": "PL", "availability": [window(5, 6)]}
    assert "site_unavailable" in _infeasible(scenario(sites=[site]))


def test_rule_3_site_supports_the_type() -> None:
    _ok(scenario(sites=[{"id": "S1", "name": "S", "host": "PL", "supports": ["peacekeeping"]}]))


def test_rule_3_site_does_not_support_the_type() -> None:
    site = {"id": "S1", "name": "S", "host": "PL", "supports": ["humanitarian"]}
    assert "no_site" in _infeasible(scenario(sites=[site]))


def _two_at_once(site: dict) -> object:
    units = [unit("PL-1"), unit("RO-1", "RO")]
    exercises = [exercise("E1", 3, window=window(1, 3)), exercise("E2", 3, window=window(1, 3))]
    return scenario(units=units, exercises=exercises, sites=[site])


def test_rule_3_site_concurrent_two() -> None:
    _ok(_two_at_once({"id": "S1", "name": "S", "host": "PL", "concurrent": 2}))


def test_rule_3_site_concurrent_one() -> None:
    _infeasible(_two_at_once({"id": "S1", "name": "S", "host": "PL", "concurrent": 1}))


def test_rule_3_site_capacity_just_enough() -> None:
    site = {"id": "S1", "name": "S", "host": "PL", "concurrent": 2, "capacity_personnel": 20}
    _ok(_two_at_once(site))


def test_rule_3_site_capacity_one_short() -> None:
    site = {"id": "S1", "name": "S", "host": "PL", "concurrent": 2, "capacity_personnel": 19}
    _infeasible(_two_at_once(site))


# rule 4: requirements --------------------------------------------------------------------


def test_rule_4_requirement_met_exactly() -> None:
    e = exercise("E1", requirements=[{"capability": "infantry_company", "units": 2}])
    calendar = solved(scenario(units=[unit("PL-1"), unit("PL-2")], exercises=[e]))
    assert sorted(entry(calendar, "E1").units) == ["PL-1", "PL-2"]


def test_rule_4_requirement_one_unit_short() -> None:
    e = exercise("E1", requirements=[{"capability": "infantry_company", "units": 2}])
    codes = _infeasible(
        scenario(units=[unit("PL-1"), unit("PL-2", capability="medical_team")], exercises=[e])
    )
    assert "capability_short" in codes


def _needs_two_nations(max_units: int) -> object:
    req = [{"capability": "infantry_company", "units": 1, "max_units": max_units}]
    e = exercise("E1", requirements=req, min_nations=2)
    return scenario(units=[unit("PL-1"), unit("RO-1", "RO")], exercises=[e])


def test_rule_4_max_units_lets_a_second_nation_in() -> None:
    _ok(_needs_two_nations(2))


def test_rule_4_max_units_keeps_the_second_nation_out() -> None:
    _infeasible(_needs_two_nations(1))


# rule 5: unit availability, rest days, max_exercises -------------------------------------


def test_rule_5_unit_available_just_long_enough() -> None:
    calendar = solved(scenario(units=[unit("PL-1", availability=[window(20, 22)])]))
    assert day(calendar, "E1") == 20


def test_rule_5_unit_blackout_leaves_one_day_short() -> None:
    u = unit("PL-1", availability=[window(20, 23)], blackouts=[window(21, 21)])
    assert "units_unavailable" in _infeasible(scenario(units=[u]))


def test_rule_5_nation_blackout_counts_for_its_units() -> None:
    nations = [{"code": "PL", "name": "Poland", "blackouts": [window(1, 29)]}]
    assert "units_unavailable" in _infeasible(scenario(nations=nations))


def _rest(rest_days: int, gap: int) -> object:
    """Two 3-day exercises of one unit, the second starting `gap` free days after the first."""
    first = exercise("E1", 3, window=window(1, 3))
    second = exercise("E2", 3, window=window(4 + gap, 6 + gap))
    return scenario(units=[unit("PL-1", rest_days=rest_days)], exercises=[first, second])


def test_rule_5_rest_days_just_kept() -> None:
    _ok(_rest(rest_days=4, gap=4))


def test_rule_5_rest_days_one_short() -> None:
    _infeasible(_rest(rest_days=4, gap=3))


def test_rule_5_rest_days_may_run_past_the_horizon_end() -> None:
    last = exercise("E2", 3, window=window(28, 30))
    first = exercise("E1", 3, window=window(1, 3))
    s = scenario(units=[unit("PL-1", rest_days=10)], exercises=[first, last])
    _ok(s)


def _two_for_one_unit(max_exercises: int) -> object:
    exercises = [exercise("E1", 3, window=window(1, 10)), exercise("E2", 3, window=window(11, 20))]
    return scenario(units=[unit("PL-1", max_exercises=max_exercises)], exercises=exercises)


def test_rule_5_unit_max_exercises_two() -> None:
    _ok(_two_for_one_unit(2))


def test_rule_5_unit_max_exercises_one() -> None:
    _infeasible(_two_for_one_unit(1))


# rule 6: min_nations, max_personnel ------------------------------------------------------


def _two_units(second_nation: str, min_nations: int = 2, max_personnel: int | None = None):
    req = [{"capability": "infantry_company", "units": 2}]
    e = exercise("E1", requirements=req, min_nations=min_nations, max_personnel=max_personnel)
    return scenario(units=[unit("PL-1"), unit("X-1", second_nation)], exercises=[e])


def test_rule_6_min_nations_met() -> None:
    calendar = solved(_two_units("RO"))
    assert calendar.kpi.nation_participations == 2


def test_rule_6_min_nations_one_short() -> None:
    assert "nations_short" in _infeasible(_two_units("PL"))


def test_rule_6_max_personnel_just_enough() -> None:
    _ok(_two_units("RO", min_nations=1, max_personnel=20))


def test_rule_6_max_personnel_one_short() -> None:
    _infeasible(_two_units("RO", min_nations=1, max_personnel=19))


# rule 7: a nation's max_exercises and budget ---------------------------------------------


def _nation_limited(**limits) -> object:
    nations = [{"code": "PL", "name": "Poland", **limits}]
    units = [unit("PL-1"), unit("PL-2")]
    exercises = [exercise("E1", 3, window=window(1, 3)), exercise("E2", 3, window=window(1, 3))]
    sites = [{"id": "S1", "name": "S", "host": "PL"}, {"id": "S2", "name": "T", "host": "PL"}]
    return scenario(nations=nations, units=units, exercises=exercises, sites=sites)


def test_rule_7_nation_max_exercises_two() -> None:
    _ok(_nation_limited(max_exercises=2))


def test_rule_7_nation_max_exercises_one() -> None:
    _infeasible(_nation_limited(max_exercises=1))


def test_rule_7_nation_budget_just_enough() -> None:
    _ok(_nation_limited(budget_person_days=60))  # 2 exercises x 3 days x 10 personnel


def test_rule_7_nation_budget_one_short() -> None:
    _infeasible(_nation_limited(budget_person_days=59))


# rule 8: after ---------------------------------------------------------------------------


def _after(gap_days: int) -> object:
    first = exercise("E1", 3, window=window(1, 3))
    second = exercise(
        "E2", 3, window=window(1, 8), after=[{"exercise": "E1", "gap_days": gap_days}]
    )
    units = [unit("PL-1"), unit("RO-1", "RO")]
    return scenario(units=units, exercises=[first, second])


def test_rule_8_after_gap_just_fits() -> None:
    calendar = solved(_after(gap_days=2))
    assert day(calendar, "E2") == 6


def test_rule_8_after_gap_one_day_too_long() -> None:
    _infeasible(_after(gap_days=3))


def test_rule_8_no_predecessor_no_successor() -> None:
    first = exercise(
        "E1", 3, mandatory=False, requirements=[{"capability": "sar_vessel", "units": 1}]
    )
    second = exercise("E2", 3, mandatory=False, priority=90, after=[{"exercise": "E1"}])
    calendar = solved(scenario(exercises=[first, second]))
    assert calendar.status == "optimal"
    assert calendar.scheduled == []
    reasons = {u.exercise: u.reasons[0].code for u in calendar.unscheduled}
    assert reasons == {"E1": "capability_short", "E2": "after_unschedulable"}


# rule 9: pins and mandatory --------------------------------------------------------------


def test_rule_9_pins_are_kept() -> None:
    sites = [{"id": "S1", "name": "S", "host": "PL"}, {"id": "S2", "name": "T", "host": "PL"}]
    pin = {"start": "1995-06-17", "site": "S2", "units": ["RO-1"]}
    e = exercise("E1", 3, mandatory=False, pinned=pin, preferred_months=[6])
    calendar = solved(
        scenario(units=[unit("PL-1"), unit("RO-1", "RO")], exercises=[e], sites=sites)
    )
    placed = entry(calendar, "E1")
    assert (placed.start.day, placed.site, placed.units) == (17, "S2", ["RO-1"])


def test_rule_9_pinned_unit_unavailable() -> None:
    pin = {"start": "1995-06-17", "units": ["PL-1"]}
    e = exercise("E1", 3, mandatory=False, pinned=pin)
    s = scenario(
        units=[unit("PL-1", blackouts=[window(18, 18)]), unit("RO-1", "RO")], exercises=[e]
    )
    assert "pinned_unit_unavailable" in _infeasible(s)


def test_rule_9_more_pinned_units_than_a_requirement_takes() -> None:
    """Two infantry companies pinned where one (at most) is asked for: no calendar keeps the
    pin (the greedy once placed it anyway)."""
    req = [{"capability": "infantry_company", "units": 1, "max_units": 1}]
    units = [unit("PL-1"), unit("RO-1", "RO")]
    pin = {"units": ["PL-1", "RO-1"]}
    s = scenario(units=units, exercises=[exercise("E1", 3, requirements=req, pinned=pin)])
    assert "pinned_units_too_many" in _infeasible(s)
    one = scenario(
        units=units,
        exercises=[exercise("E1", 3, requirements=req, pinned={"units": ["RO-1"]})],
    )
    assert entry(solved(one), "E1").units == ["RO-1"]  # just feasible


def test_rule_9_mandatory_exercises_conflict_named() -> None:
    exercises = [
        exercise("E1", 3, window=window(1, 3)),
        exercise("E2", 3, window=window(2, 4)),
        exercise("E3", 3, mandatory=False, window=window(10, 20)),
    ]
    codes = _infeasible(scenario(exercises=exercises))
    calendar = solve(scenario(exercises=exercises), SolveParams(time_limit_s=5, workers=1))
    by_id = {u.exercise: u.reasons[0] for u in calendar.unscheduled}
    assert by_id["E1"].code == by_id["E2"].code == "must_haves_conflict"
    assert "E2" in by_id["E1"].message and "E1" in by_id["E2"].message
    assert by_id["E3"].code == "calendar_infeasible"
    assert "must_haves_conflict" in codes


def test_rule_9_optional_exercise_left_out_when_it_cannot_fit() -> None:
    exercises = [
        exercise("E1", 3, window=window(1, 3)),
        exercise("E2", 3, mandatory=False, priority=90, window=window(2, 4)),
    ]
    calendar = solved(scenario(exercises=exercises))
    assert calendar.status == "optimal"
    assert [x.exercise for x in calendar.scheduled] == ["E1"]
    (left,) = calendar.unscheduled
    assert left.reasons[0].code == "crowded_out" and "E1" in left.reasons[0].message
