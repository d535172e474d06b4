"""Re-planning from a base calendar: priority first, then fewest changes, then the rest."""

from __future__ import annotations

import datetime as dt
import importlib

from solver import Calendar, Scenario, SolveParams, Window, diff_calendars, generate, solve
from tests.solver.helpers import assert_calendar_valid, load_example
from tests.solver.solve_helpers import entry, exercise, scenario, solved, unit, window

INFANTRY_UP_TO_3 = [{"capability": "infantry_company", "units": 1, "max_units": 3}]


def _replan(s: Scenario, base: Calendar, **extra) -> Calendar:
    params = SolveParams(time_limit_s=5, workers=1, seed=0, base=base, **extra)
    calendar = solve(s, params)
    assert_calendar_valid(s, calendar)
    return calendar


def _changes(calendar: Calendar) -> int:
    assert calendar.stats is not None
    return calendar.stats.changes  # type: ignore[attr-defined]


def _three_in_a_row() -> Scenario:
    """Three exercises in three ten-day windows; each takes up to one unit of each nation."""
    return scenario(
        units=[unit("PL-1", "PL"), unit("RO-1", "RO"), unit("SE-1", "SE")],
        exercises=[
            exercise(
                f"E{k}",
                duration=5,
                mandatory=False,
                window=window(10 * k - 9, 10 * k),
                requirements=INFANTRY_UP_TO_3,
            )
            for k in (1, 2, 3)
        ],
    )


def _with_nation_blackout(s: Scenario, code: str, start: dt.date, end: dt.date) -> Scenario:
    nations = [
        n.model_copy(update={"blackouts": [*n.blackouts, Window(start=start, end=end)]})
        if n.code == code
        else n
        for n in s.nations
    ]
    return s.model_copy(update={"nations": nations})


def test_the_same_scenario_with_its_own_calendar_as_base_changes_nothing() -> None:
    for s in (load_example("tiny"), _three_in_a_row()):
        base = solved(s)
        again = _replan(s, base)
        d = diff_calendars(base, again)
        assert d.is_empty, d.summary
        assert _changes(again) == 0
        assert again.stats is not None and again.stats.base_kept == len(base.scheduled)  # type: ignore[attr-defined]
        assert again.kpi == base.kpi
        assert base.stats is not None and "changes" not in base.stats.model_dump()


def test_a_blackout_of_one_nation_moves_only_the_exercise_it_touches() -> None:
    s = _three_in_a_row()
    base = solved(s)
    assert all(len(x.units) == 3 for x in base.scheduled)
    e2 = entry(base, "E2")
    changed = _with_nation_blackout(s, "SE", e2.start, e2.end)
    replanned = _replan(changed, base)

    d = diff_calendars(base, replanned)
    assert d.changed == ["E2"], d.summary
    assert d.unchanged == 2 and d.dropped == [] and d.added == []
    for eid in ("E1", "E3"):
        assert entry(replanned, eid) == entry(base, eid)
    assert _changes(replanned) == 1
    assert replanned.kpi.priority_scheduled == base.kpi.priority_scheduled
    # it still gets all three nations, elsewhere in its window: a move, not a loss
    assert len(entry(replanned, "E2").units) == 3


def test_stability_ranks_above_more_nations() -> None:
    """A new unit would bring a nation in, but re-planning keeps the base as it was."""
    s = scenario(
        units=[unit("PL-1", "PL")],
        exercises=[exercise("E1", duration=5, mandatory=False, requirements=INFANTRY_UP_TO_3)],
    )
    base = solved(s)
    grown = scenario(
        units=[unit("PL-1", "PL"), unit("RO-1", "RO")],
        exercises=[exercise("E1", duration=5, mandatory=False, requirements=INFANTRY_UP_TO_3)],
    )
    fresh = solved(grown)
    assert fresh.kpi.nation_participations == 2
    replanned = _replan(grown, base)
    assert diff_calendars(base, replanned).is_empty
    assert replanned.kpi.nation_participations == 1


def test_a_higher_priority_exercise_moves_a_base_exercise() -> None:
    low = exercise("LOW", duration=10, mandatory=False, priority=10)
    s = scenario(units=[unit("PL-1")], exercises=[low])
    base = solved(s)
    placed = entry(base, "LOW")
    # a new, more important exercise that fits only where LOW is, with the one unit
    high = exercise(
        "HIGH",
        duration=10,
        mandatory=False,
        priority=50,
        window={"start": placed.start.isoformat(), "end": placed.end.isoformat()},
    )
    grown = scenario(units=[unit("PL-1")], exercises=[low, high])
    replanned = _replan(grown, base)

    d = diff_calendars(base, replanned)
    assert [x.exercise for x in d.added] == ["HIGH"]
    assert entry(replanned, "HIGH").start == placed.start
    assert [x.exercise for x in d.moved] == ["LOW"]  # moved, not dropped: the month has room
    assert _changes(replanned) == 1
    assert replanned.kpi.priority_scheduled == 60


def test_a_lower_priority_newcomer_does_not_displace_the_base() -> None:
    low = exercise("LOW", duration=10, mandatory=False, priority=10, window=window(1, 10))
    s = scenario(units=[unit("PL-1")], exercises=[low])
    base = solved(s)
    lower = exercise("LOWER", duration=10, mandatory=False, priority=5, window=window(1, 10))
    replanned = _replan(scenario(units=[unit("PL-1")], exercises=[low, lower]), base)
    assert diff_calendars(base, replanned).is_empty
    assert [x.exercise for x in replanned.unscheduled] == ["LOWER"]


def test_a_base_placement_no_longer_valid_counts_as_a_change() -> None:
    s = _three_in_a_row()
    base = solved(s)
    # RO-1 is withdrawn: every exercise it was in must change its units
    without_ro = s.model_copy(update={"units": [u for u in s.units if u.id != "RO-1"]})
    replanned = _replan(without_ro, base)
    d = diff_calendars(base, replanned)
    with_ro = sorted(x.exercise for x in base.scheduled if "RO-1" in x.units)
    assert with_ro and d.changed == with_ro
    assert _changes(replanned) == len(with_ro)
    assert all("RO-1" not in x.units for x in replanned.scheduled)
    # the change is the unit alone: dates and sites stay
    for x in replanned.scheduled:
        old = entry(base, x.exercise)
        assert (x.start, x.site) == (old.start, old.site)


def test_a_removed_exercise_and_an_unknown_base_entry_count_as_changes() -> None:
    s = _three_in_a_row()
    base = solved(s)
    fewer = s.model_copy(update={"exercises": [e for e in s.exercises if e.id != "E3"]})
    replanned = _replan(fewer, base)
    d = diff_calendars(base, replanned)
    assert d.changed == ["E3"] and [x.exercise for x in d.dropped] == ["E3"]
    assert _changes(replanned) == 1


def test_a_mandatory_exercise_still_comes_first() -> None:
    """A base that blocks a new mandatory exercise gives way to it."""
    low = exercise("LOW", duration=10, mandatory=False, priority=90, window=window(1, 10))
    s = scenario(units=[unit("PL-1")], exercises=[low])
    base = solved(s)
    must = exercise("MUST", duration=10, priority=1, window=window(1, 10))
    replanned = _replan(scenario(units=[unit("PL-1")], exercises=[low, must]), base)
    assert [x.exercise for x in replanned.scheduled] == ["MUST"]
    assert _changes(replanned) == 1


def _blackout_first_shared(s: Scenario, base: Calendar) -> tuple[Scenario, set[str]]:
    """Black out the nation of a unit in the first exercise with two units or more, over that
    exercise's days; returns the changed scenario and the base exercises the blackout touches."""
    x = next(x for x in base.scheduled if len(x.units) >= 2)
    nation_of = {u.id: u.nation for u in s.units}
    code = nation_of[x.units[0]]
    touched = {
        y.exercise
        for y in base.scheduled
        if y.start <= x.end and y.end >= x.start and any(nation_of[u] == code for u in y.units)
    }
    return _with_nation_blackout(s, code, x.start, x.end), touched


def _perturbed_figures(s: Scenario, **extra) -> tuple[Calendar, Calendar, Calendar, set[str]]:
    params = SolveParams(time_limit_s=8, workers=1, seed=0, **extra)
    base = solve(s, params)
    assert_calendar_valid(s, base)
    changed, touched = _blackout_first_shared(s, base)
    replanned = _replan(changed, base, **extra)
    fresh = solve(changed, params)
    assert_calendar_valid(changed, fresh)
    return base, replanned, fresh, touched


def test_a_generated_programme_replans_with_few_changes() -> None:
    base, replanned, fresh, touched = _perturbed_figures(generate("S", 1))
    d, d_fresh = diff_calendars(base, replanned), diff_calendars(base, fresh)
    print(f"S/1: re-plan {len(d.changed)} changes {d.changed}, fresh solve {len(d_fresh.changed)}")
    assert touched <= set(d.changed)  # the blackout made their placements invalid
    assert _changes(replanned) == len(d.changed) - len(d.added)
    assert len(d.changed) < len(d_fresh.changed)
    # fewest changes never costs priority
    assert replanned.kpi.priority_scheduled >= fresh.kpi.priority_scheduled


def test_a_large_programme_replans_from_its_base_too() -> None:
    """The capped path (neighbourhood search): the base is the starting plan."""
    s = generate("S", 1)
    base, replanned, fresh, touched = _perturbed_figures(s, cap_units=2)
    assert replanned.stats is not None and replanned.stats.capped
    d, d_fresh = diff_calendars(base, replanned), diff_calendars(base, fresh)
    print(f"S/1 capped: re-plan {len(d.changed)} changes, fresh solve {len(d_fresh.changed)}")
    assert touched <= set(d.changed)
    assert len(d.changed) < len(d_fresh.changed)
    same = _replan(s, base, cap_units=2)
    assert _changes(same) == 0 or same.kpi.priority_scheduled > base.kpi.priority_scheduled


def test_must_haves_placed_by_cp_sat_keep_the_base_around_them(monkeypatch) -> None:
    """Capped path, when the greedy cannot place a must-have (made so here): the must-haves
    come from CP-SAT and as much of the base as fits is kept around them."""
    solve_module = importlib.import_module("solver.solve")  # `solver.solve` is the function
    s = generate("S", 1)
    musts = {e.id for e in s.exercises if e.mandatory or e.pinned}
    full = solve(s, SolveParams(time_limit_s=4, workers=1, cap_units=2))
    assert_calendar_valid(s, full)
    assert musts and musts <= {x.exercise for x in full.scheduled}
    # the base predates the must-haves: approved before they were added
    base = full.model_copy(
        update={"scheduled": [x for x in full.scheduled if x.exercise not in musts]}
    )
    real = solve_module.greedy_plan

    def greedy_missing_must_haves(c, start=None, *stop):
        plan = real(c, start, *stop)
        if start is None or not musts <= set(start):
            plan = {e: p for e, p in plan.items() if e not in musts}
        return plan

    monkeypatch.setattr(solve_module, "greedy_plan", greedy_missing_must_haves)
    replanned = _replan(s, base, cap_units=2)
    assert replanned.stats is not None
    assert "must-haves by CP-SAT" in replanned.stats.phases
    assert musts <= {x.exercise for x in replanned.scheduled}
    d = diff_calendars(base, replanned)
    print(f"must-haves first: {len(d.changed)} changed of {len(base.scheduled)}: {d.summary}")
    assert _changes(replanned) < len(base.scheduled) // 2


def test_progress_of_a_replan_reports_its_changes() -> None:
    s = _three_in_a_row()
    base = solved(s)
    e2 = entry(base, "E2")
    seen: list = []
    replanned = _replan(
        _with_nation_blackout(s, "SE", e2.start, e2.end), base, progress=seen.append
    )
    assert seen and all(p.changes is not None for p in seen)
    keys = [(p.kpi.priority_scheduled, -p.changes, *p.kpi.as_tuple()[1:]) for p in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # each report is better
    assert seen[-1].changes == _changes(replanned) == 1
    assert seen[-1].kpi == replanned.kpi
