"""Tiny scenarios built in a line or two, and a solve that re-checks every calendar."""

from __future__ import annotations

import copy
from typing import Any

from solver import Calendar, Scenario, SolveParams, parse_scenario, solve
from tests.solver.helpers import assert_calendar_valid

FAST = SolveParams(time_limit_s=5, workers=1, seed=0)
# the bound's cuts get a tenth of the time limit (at most 5 s), on the wall clock: FAST's 0.5 s
# can run out on a crowded machine before a clash is proven. A tiny programme's solve still
# ends as soon as it is proven optimal.
ROOMY = SolveParams(time_limit_s=60, workers=1, seed=0)


def unit(uid: str, nation: str = "PL", capability: str = "infantry_company", **extra) -> dict:
    return {"id": uid, "nation": nation, "capability": capability, "personnel": 10, **extra}


def exercise(eid: str, duration: int = 3, **extra: Any) -> dict:
    data = {
        "id": eid,
        "name": f"Exercise {eid}",
        "type": "peacekeeping",
        "duration_days": duration,
        "requirements": [{"capability": "infantry_company", "units": 1}],
        "mandatory": True,
    }
    data.update(extra)
    return data


def window(start: int, end: int) -> dict:
    """Days of June 1995 (1 = June 1st), both included."""
    return {"start": f"1995-06-{start:02d}", "end": f"1995-06-{end:02d}"}


def scenario(
    units: list[dict] | None = None,
    exercises: list[dict] | None = None,
    sites: list[dict] | None = None,
    nations: list[dict] | None = None,
    horizon: tuple[int, int] = (1, 30),
) -> Scenario:
    """A June 1995 programme: by default one site, one Polish unit, one mandatory exercise."""
    data = {
        "format": "pfp-scenario/1",
        "name": "rule test",
        "horizon": window(*horizon),
        "nations": nations
        or [
            {"code": "PL", "name": "Poland"},
            {"code": "RO", "name": "Romania"},
            {"code": "SE", "name": "Sweden"},
        ],
        "units": units if units is not None else [unit("PL-1")],
        "sites": sites or [{"id": "S1", "name": "Site one", "host": "PL"}],
        "exercises": exercises if exercises is not None else [exercise("E1")],
    }
    return parse_scenario(copy.deepcopy(data))


def solved(s: Scenario, params: SolveParams = FAST) -> Calendar:
    """Solve, then let the independent checker re-verify the calendar."""
    calendar = solve(s, params)
    assert_calendar_valid(s, calendar)
    return calendar


def entry(calendar: Calendar, exercise_id: str):
    return next(x for x in calendar.scheduled if x.exercise == exercise_id)


def day(calendar: Calendar, exercise_id: str) -> int:
    """The June day an exercise starts on."""
    return entry(calendar, exercise_id).start.day
