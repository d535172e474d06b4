"""solver.explain: minimal causes in plain words, and suggestions verified by re-solving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from solver import (
    Calendar,
    ScheduledExercise,
    SolveParams,
    check_calendar,
    parse_scenario,
    parse_scenario_json,
    solve,
)
from solver.explain import ExplainParams, Explanation, explain, soft_conflicts
from solver.explain.verify import calendar_of
from solver.scenario import Pin, Scenario

DATA = Path(__file__).resolve().parents[1] / "data"
PARAMS = ExplainParams(time_limit_s=20, per_exercise_s=10, solve_s=5)
QUICK = SolveParams(time_limit_s=5, workers=1, seed=0)


def _scenario(
    units: list[dict],
    exercises: list[dict],
    nations: list[dict] | None = None,
    sites: list[dict] | None = None,
) -> Scenario:
    return parse_scenario(
        {
            "format": "pfp-scenario/1",
            "name": "explain test",
            "horizon": {"start": "1995-06-01", "end": "1995-07-31"},
            "nations": nations
            or [
                {"code": "SE", "name": "Sweden"},
                {"code": "FI", "name": "Finland"},
                {"code": "PL", "name": "Poland"},
                {"code": "RO", "name": "Romania"},
            ],
            "units": units,
            "sites": sites
            or [
                {"id": "S1", "name": "Site one", "host": "SE"},
                {"id": "S2", "name": "Site two", "host": "FI"},
            ],
            "exercises": exercises,
        }
    )


def _ex(eid: str, name: str, needs: list[tuple[str, int]], **extra: Any) -> dict:
    return {
        "id": eid,
        "name": name,
        "type": "search_and_rescue",
        "duration_days": extra.pop("duration_days", 5),
        "requirements": [{"capability": c, "units": n} for c, n in needs],
        **extra,
    }


def _placed(eid: str, start: str, days: int, site: str, units: list[str]) -> ScheduledExercise:
    first = dt.date.fromisoformat(start)
    return ScheduledExercise(
        exercise=eid, start=first, end=first + dt.timedelta(days=days - 1), site=site, units=units
    )


def _explained(scenario: Scenario, scheduled: list[ScheduledExercise]) -> dict[str, Explanation]:
    calendar = calendar_of(scenario, scheduled)
    assert check_calendar(scenario, calendar).ok
    return {x.exercise: x for x in explain(scenario, calendar, PARAMS)}


def _held(scenario: Scenario, scheduled: list[ScheduledExercise]) -> Scenario:
    """Every scheduled exercise pinned where it is (start, site, units) and made mandatory."""
    where = {p.exercise: p for p in scheduled}
    exercises = []
    for e in scenario.exercises:
        p = where.get(e.id)
        if p is not None:
            pin = Pin(start=p.start, site=p.site, units=p.units)
            e = e.model_copy(update={"pinned": pin})
        exercises.append(e)
    return scenario.model_copy(update={"exercises": exercises})


def _schedules(scenario: Scenario, exercise: str) -> bool:
    """solver.solve on `scenario` schedules `exercise` (the calendar checked)."""
    calendar = solve(scenario, QUICK)
    assert check_calendar(scenario, calendar).ok
    return any(p.exercise == exercise for p in calendar.scheduled)


def _apply(scenario: Scenario, calendar: list[ScheduledExercise], changes) -> Scenario:
    """A suggestion's changes applied to the scenario, the rest of the calendar held."""
    held = list(calendar)
    data = scenario.model_dump(mode="json")
    for change in changes:
        if change.entity == "calendar":
            held = [p for p in held if p.exercise != change.id]
            if change.to is not None:
                to = change.to
                first = dt.date.fromisoformat(str(to["start"]))
                end = dt.date.fromisoformat(str(to.get("end") or to["start"]))
                held.append(
                    ScheduledExercise(
                        exercise=change.id,
                        start=first,
                        end=end,
                        site=to["site"],
                        units=list(to["units"]),
                    )
                )
            else:
                data["exercises"] = [e for e in data["exercises"] if e["id"] != change.id]
            continue
        key = {"exercise": "exercises", "nation": "nations", "site": "sites", "unit": "units"}
        items = data[key[change.entity]]
        if change.field is None:
            items.append(change.to)
            continue
        ident = "code" if change.entity == "nation" else "id"
        item = next(x for x in items if x[ident] == change.id)
        item[change.field] = change.to
    changed = parse_scenario(data)
    kept = {e.id for e in changed.exercises}
    return _held(changed, [p for p in held if p.exercise in kept])


def _verified_by_solve(scenario, scheduled, exercise: str, x: Explanation) -> None:
    assert x.suggestions, x.message
    for s in x.suggestions:
        assert s.verified
        assert _schedules(_apply(scenario, scheduled, s.changes), exercise), s.message


# --- the spec's tiny example ------------------------------------------------------------------


def test_tiny_capability_short_names_the_unit_and_asks_a_nation():
    scenario = parse_scenario_json((DATA / "tiny.scenario.json").read_text())
    calendar = Calendar.model_validate_json((DATA / "tiny.calendar.json").read_text())
    (x,) = explain(scenario, calendar, PARAMS)
    assert x.exercise == "CV95"
    assert "Cooperative Venture 95 needs 2 SAR helicopters" in x.message
    assert "between 1 and 30 June" in x.message
    assert "SE-SAR-1 (Sweden)" in x.message
    asks = [s for s in x.suggestions if s.kind == "ask_for_unit"]
    assert asks and asks[0].verified
    assert "one more SAR helicopter" in asks[0].message
    assert asks[0].cost.kpi_delta.priority_scheduled == 30
    _verified_by_solve(scenario, calendar.scheduled, "CV95", x)


# --- another exercise's placement -------------------------------------------------------------

TWO_SAR = [
    {"id": "SE-SAR-1", "nation": "SE", "capability": "sar_helicopter", "personnel": 15},
    {"id": "FI-SAR-2", "nation": "FI", "capability": "sar_helicopter", "personnel": 12},
]


def test_placement_of_another_exercise_is_the_cause_and_moving_it_is_verified():
    scenario = _scenario(
        TWO_SAR,
        [
            _ex(
                "CO95",
                "Cooperative Osprey 95",
                [("sar_helicopter", 1)],
                duration_days=10,
                priority=20,
                window={"start": "1995-06-01", "end": "1995-06-30"},
            ),
            _ex(
                "CV95",
                "Cooperative Venture 95",
                [("sar_helicopter", 2)],
                priority=30,
                window={"start": "1995-06-10", "end": "1995-06-20"},
            ),
        ],
    )
    scheduled = [_placed("CO95", "1995-06-10", 10, "S2", ["FI-SAR-2"])]
    x = _explained(scenario, scheduled)["CV95"]
    assert x.status == "minimal"
    kinds = {c.kind for c in x.causes}
    assert kinds == {"placement", "window"}
    assert "FI-SAR-2 (Finland) is in Cooperative Osprey 95 from 10 to 19 June" in x.message
    moves = [s for s in x.suggestions if s.kind == "move_exercise"]
    assert moves and moves[0].cost.moved[0]["exercise"] == "CO95"
    assert moves[0].cost.kpi_delta.priority_scheduled == 30
    widen = next(s for s in x.suggestions if s.kind == "widen_window")
    assert widen.changes[0].to == {"start": "1995-06-10", "end": "1995-06-24"}
    _verified_by_solve(scenario, scheduled, "CV95", x)
    _minimal_by_solve(scenario, scheduled, "CV95", x)


def test_dropping_a_lower_priority_exercise_names_it_and_its_cost():
    scenario = _scenario(
        TWO_SAR,
        [
            _ex(
                "CO95",
                "Cooperative Osprey 95",
                [("sar_helicopter", 1)],
                duration_days=10,
                priority=20,
                window={"start": "1995-06-10", "end": "1995-06-19"},
            ),
            _ex(
                "CV95",
                "Cooperative Venture 95",
                [("sar_helicopter", 2)],
                priority=30,
                window={"start": "1995-06-10", "end": "1995-06-19"},
            ),
        ],
    )
    scheduled = [_placed("CO95", "1995-06-10", 10, "S2", ["FI-SAR-2"])]
    x = _explained(scenario, scheduled)["CV95"]
    drop = next(s for s in x.suggestions if s.kind == "drop_exercise")
    assert "Cooperative Osprey 95 (priority 20)" in drop.message
    assert drop.cost.dropped == [{"exercise": "CO95", "priority": 20}]
    assert drop.cost.kpi_delta.priority_scheduled == 10
    assert drop.cost.nations_lost == 1
    _verified_by_solve(scenario, scheduled, "CV95", x)


# --- a unit's blackout and the smallest widening of the window -------------------------------


def test_unit_blackout_and_smallest_window_widening():
    units = [dict(TWO_SAR[0], blackouts=[{"start": "1995-06-05", "end": "1995-06-20"}]), TWO_SAR[1]]
    exercises = [
        _ex(
            "CV95",
            "Cooperative Venture 95",
            [("sar_helicopter", 2)],
            window={"start": "1995-06-08", "end": "1995-06-22"},
        ),
    ]
    scenario = _scenario(units, exercises)
    x = _explained(scenario, [])["CV95"]
    assert x.status == "minimal"
    assert {c.kind for c in x.causes} == {"unit_availability", "window"}
    assert "SE-SAR-1 (Sweden) is available only from 1 to 4 June, from 21 June" in x.message
    widen = next(s for s in x.suggestions if s.kind == "widen_window")
    # from 21 June SE-SAR-1 is back: 21..25 June needs the end moved from 22 to 25 June
    assert widen.changes[0].to == {"start": "1995-06-08", "end": "1995-06-25"}
    assert "by 3 days" in widen.message
    lift = next(s for s in x.suggestions if s.kind == "ask_unit_available")
    assert "Sweden to make SE-SAR-1 available" in lift.message
    assert lift.changes[0].field == "blackouts" and lift.changes[0].to == []
    _verified_by_solve(scenario, [], "CV95", x)
    # one day less, either way, does not do
    for window in (
        {"start": "1995-06-07", "end": "1995-06-22"},
        {"start": "1995-06-08", "end": "1995-06-24"},
    ):
        narrower = [dict(exercises[0], window=window)]
        assert not _schedules(_scenario(units, narrower), "CV95")
    _minimal_by_solve(scenario, [], "CV95", x)


# --- min_nations and a nation's max_exercises --------------------------------------------------


def test_min_nations_lowered_is_verified():
    units = [
        {"id": "PL-INF-1", "nation": "PL", "capability": "infantry_company", "personnel": 100},
        {"id": "PL-INF-2", "nation": "PL", "capability": "infantry_company", "personnel": 100},
        {
            "id": "RO-INF-1",
            "nation": "RO",
            "capability": "infantry_company",
            "personnel": 100,
            "availability": [{"start": "1995-07-01", "end": "1995-07-31"}],
        },
    ]
    scenario = _scenario(
        units,
        [
            _ex(
                "CB95",
                "Cooperative Bridge 95",
                [("infantry_company", 2)],
                min_nations=2,
                window={"start": "1995-06-01", "end": "1995-06-30"},
            )
        ],
    )
    x = _explained(scenario, [])["CB95"]
    assert x.status == "minimal"
    assert {c.kind for c in x.causes} == {"min_nations", "unit_availability", "window"}
    lower = next(s for s in x.suggestions if s.kind == "lower_min_nations")
    assert (lower.changes[0].from_, lower.changes[0].to) == (2, 1)
    _verified_by_solve(scenario, [], "CB95", x)
    _minimal_by_solve(scenario, [], "CB95", x)


def test_nation_max_exercises_raised_is_verified():
    nations = [{"code": "PL", "name": "Poland", "max_exercises": 1}]
    units = [
        {"id": "PL-INF-1", "nation": "PL", "capability": "infantry_company", "personnel": 100},
        {"id": "PL-INF-2", "nation": "PL", "capability": "infantry_company", "personnel": 100},
    ]
    sites = [
        {"id": "S1", "name": "Site one", "host": "PL"},
        {"id": "S2", "name": "Site two", "host": "PL"},
    ]
    scenario = _scenario(
        units,
        [
            _ex("CA95", "Cooperative Anchor 95", [("infantry_company", 1)], priority=40),
            _ex("CB95", "Cooperative Bridge 95", [("infantry_company", 1)], priority=10),
        ],
        nations=nations,
        sites=sites,
    )
    scheduled = [_placed("CA95", "1995-06-01", 5, "S1", ["PL-INF-1"])]
    x = _explained(scenario, scheduled)["CB95"]
    assert x.status == "minimal"
    assert [c.kind for c in x.causes] == ["nation_max_exercises"]
    assert "Poland takes part in at most 1 exercise and is already in Cooperative Anchor 95" in (
        x.message
    )
    raise_ = next(s for s in x.suggestions if s.kind == "raise_nation_limit")
    assert (raise_.changes[0].field, raise_.changes[0].from_, raise_.changes[0].to) == (
        "max_exercises",
        1,
        2,
    )
    _verified_by_solve(scenario, scheduled, "CB95", x)
    _minimal_by_solve(scenario, scheduled, "CB95", x)


# --- minimality, checked independently with solver.solve ------------------------------------


def _relaxed(scenario: Scenario, cause) -> tuple[Scenario, str | None]:
    """The scenario with one cause's constraints lifted (and an exercise to drop from the
    calendar when the cause is its placement)."""
    data = scenario.model_dump(mode="json")
    ex = {e["id"]: e for e in data["exercises"]}
    if cause.kind == "placement":
        data["exercises"] = [e for e in data["exercises"] if e["id"] != cause.exercise]
        return parse_scenario(data), cause.exercise
    if cause.kind == "window":
        ex[cause.exercise]["window"] = None
    elif cause.kind == "min_nations":
        ex[cause.exercise]["min_nations"] = 1
    elif cause.kind == "unit_availability":
        unit = next(u for u in data["units"] if u["id"] == cause.unit)
        unit["availability"], unit["blackouts"] = None, []
    elif cause.kind == "nation_max_exercises":
        nation = next(n for n in data["nations"] if n["code"] == cause.nation)
        nation["max_exercises"] = None
    else:
        raise AssertionError(f"no relaxation for {cause.kind}")
    return parse_scenario(data), None


def _minimal_by_solve(scenario, scheduled, exercise: str, x: Explanation) -> None:
    """The exercise is out with the rest of the calendar held, and lifting any one cause
    alone lets solver.solve schedule it (in these scenarios the causes are every obstacle
    there is; in general a minimal set only promises that when the other groups are lifted
    too)."""
    assert not _schedules(_held(scenario, scheduled), exercise)
    for cause in x.causes:
        relaxed, dropped = _relaxed(scenario, cause)
        kept = [p for p in scheduled if p.exercise != dropped]
        assert _schedules(_held(relaxed, kept), exercise), cause.message


# --- soft conflicts ---------------------------------------------------------------------------


def test_soft_conflicts_preferred_month_and_desired_exercises():
    nations = [
        {"code": "SE", "name": "Sweden", "desired_exercises": 2},
        {"code": "FI", "name": "Finland"},
    ]
    scenario = _scenario(
        TWO_SAR,
        [_ex("CV95", "Cooperative Venture 95", [("sar_helicopter", 1)], preferred_months=[7])],
        nations=nations,
    )
    scheduled = [_placed("CV95", "1995-06-10", 5, "S1", ["SE-SAR-1"])]
    calendar = calendar_of(scenario, scheduled)
    soft = soft_conflicts(scenario, calendar, PARAMS)
    month = next(s for s in soft if s.code == "outside_preferred_months")
    assert month.possible is True and month.suggestion is not None
    assert month.suggestion.placement["start"].month == 7
    assert month.suggestion.cost.kpi_delta.preferred_month_hits == 1
    desired = next(s for s in soft if s.code == "below_desired_exercises")
    assert desired.nation == "SE" and "would like 2" in desired.message


def test_infeasible_calendar_has_no_explanations():
    scenario = parse_scenario_json((DATA / "tiny-infeasible.scenario.json").read_text())
    calendar = Calendar.model_validate_json((DATA / "tiny-infeasible.calendar.json").read_text())
    assert explain(scenario, calendar, PARAMS) == []


@pytest.mark.parametrize("name", ["tiny"])
def test_explanations_are_json(name):
    scenario = parse_scenario_json((DATA / f"{name}.scenario.json").read_text())
    calendar = Calendar.model_validate_json((DATA / f"{name}.calendar.json").read_text())
    for x in explain(scenario, calendar, PARAMS):
        dumped = x.model_dump(mode="json", by_alias=True)
        again = Explanation.model_validate(dumped).model_dump(mode="json", by_alias=True)
        assert again == dumped
        assert dumped["suggestions"][0]["changes"][0]["from"] is None


def test_several_changes_together_when_none_does_alone():
    nations = [
        {"code": "SE", "name": "Sweden"},
        {"code": "FI", "name": "Finland", "max_exercises": 1},
    ]
    units = [
        dict(TWO_SAR[0], blackouts=[{"start": "1995-06-01", "end": "1995-06-30"}]),
        TWO_SAR[1],
    ]
    scenario = _scenario(
        units,
        [
            _ex(
                "CO95",
                "Cooperative Osprey 95",
                [("sar_helicopter", 1)],
                priority=20,
                window={"start": "1995-07-01", "end": "1995-07-31"},
            ),
            _ex(
                "CV95",
                "Cooperative Venture 95",
                [("sar_helicopter", 2)],
                priority=30,
                window={"start": "1995-06-01", "end": "1995-06-30"},
            ),
        ],
        nations=nations,
    )
    scheduled = [_placed("CO95", "1995-07-10", 5, "S2", ["FI-SAR-2"])]
    x = _explained(scenario, scheduled)["CV95"]
    assert x.status == "minimal"
    # one minimal set of causes: Finland's limit (two SAR helicopters are declared in all);
    # lifting it alone is not enough, SE-SAR-1's blackout must go too
    assert [c.kind for c in x.causes] == ["nation_max_exercises"]
    assert not any(s.kind == "raise_nation_limit" for s in x.suggestions)
    both = next(s for s in x.suggestions if s.kind == "several_changes")
    fields = {(c.entity, c.id, c.field) for c in both.changes}
    assert fields == {("unit", "SE-SAR-1", "blackouts"), ("nation", "FI", "max_exercises")}
    assert "lifting the blackout of SE-SAR-1" in both.message
    assert "raise Finland's max_exercises from 1 to 2" in both.message
    _verified_by_solve(scenario, scheduled, "CV95", x)
