"""Soft conflicts: scheduled exercises outside their preferred months, nations below their
`desired_exercises`. For the first, whether a start in a preferred month could be had with
the rest of the calendar held (a probe), and if so the verified move."""

from __future__ import annotations

import time

from solver.calendar import Calendar
from solver.explain import words as w
from solver.explain.probe import Probe, month_runs
from solver.explain.suggest import Clock
from solver.explain.types import Change, ExplainParams, SoftConflict, Suggestion
from solver.explain.verify import checked, cost, entry
from solver.model import days as d
from solver.scenario import Scenario

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def soft_conflicts(
    scenario: Scenario, calendar: Calendar, params: ExplainParams | None = None
) -> list[SoftConflict]:
    params = params or ExplainParams()
    clock = Clock(time.perf_counter() + params.per_exercise_s, params)
    names = w.Names(scenario)
    exercises = {e.id: e for e in scenario.exercises}
    out: list[SoftConflict] = []
    for p in calendar.scheduled:
        e = exercises.get(p.exercise)
        if e is None or not e.preferred_months or p.start.month in e.preferred_months:
            continue
        months = w.listing([MONTHS[m - 1] for m in sorted(e.preferred_months)], limit=12)
        window = scenario.exercise_window(e)
        h0 = scenario.horizon.start
        first = d.day_index(h0, window.start)
        last = d.day_index(h0, window.end) - e.duration_days + 1
        possible: bool | None = bool(
            d.intersect(month_runs(scenario, e.preferred_months), [(first, last)])
        )
        suggestion = None
        message = f"{e.name} starts on {w.date(p.start)}, not in its preferred months ({months})"
        if not possible:
            message += "; its window has no start in them."
        elif clock.out:
            possible = None
            message += "."
        else:
            others = [q for q in calendar.scheduled if q.exercise != e.id]
            probe = Probe(scenario, others, e.id, preferred_months=True)
            found = probe.solve(
                None, clock.seconds(), params.seed, params.workers, most_nations=True
            ).found
            if found is None:
                possible = False
                message += "; no start in them fits with the rest of the calendar held."
            else:
                moved = entry(e.id, found)
                new = checked(scenario, [*others, moved])
                if new is not None:
                    change = Change(
                        entity="calendar",
                        id=e.id,
                        field="placement",
                        from_={"start": p.start.isoformat(), "site": p.site, "units": p.units},
                        to={
                            "start": found.start.isoformat(),
                            "site": found.site,
                            "units": found.units,
                        },
                    )
                    suggestion = Suggestion(
                        kind="move_exercise",
                        message=f"Move {e.name} to run {w.span(found.start, found.end)} at "
                        f"{names.site(found.site)}.",
                        changes=[change],
                        verified=True,
                        cost=cost(scenario, list(calendar.scheduled), new, e.id),
                        placement={
                            "start": found.start,
                            "end": found.end,
                            "site": found.site,
                            "units": found.units,
                        },
                    )
                message += (
                    f"; it could start on {w.date(found.start)} at {names.site(found.site)} "
                    "with the rest of the calendar held."
                )
        out.append(
            SoftConflict(
                code="outside_preferred_months",
                message=message,
                exercise=e.id,
                possible=possible,
                suggestion=suggestion,
            )
        )
    out += _below_desired(scenario, calendar, names)
    return out


def _below_desired(scenario: Scenario, calendar: Calendar, names: w.Names) -> list[SoftConflict]:
    units = {u.id: u for u in scenario.units}
    joined: dict[str, int] = {}
    for p in calendar.scheduled:
        for code in {units[u].nation for u in p.units if u in units}:
            joined[code] = joined.get(code, 0) + 1
    out = []
    for n in scenario.nations:
        if n.desired_exercises is None or joined.get(n.code, 0) >= n.desired_exercises:
            continue
        have = joined.get(n.code, 0)
        out.append(
            SoftConflict(
                code="below_desired_exercises",
                nation=n.code,
                message=f"{n.name} takes part in {w.plural(have, 'exercise')}; it would like "
                f"{n.desired_exercises}.",
            )
        )
    return out
