"""Soft rules: the three figures a calendar is judged by, compared lexicographically.

They are combined into one objective with exact weights: each figure's weight is larger than
the most all later figures together can add, so no amount of a later figure ever pays for
one unit of an earlier one. (With at most a few thousand exercises the weights stay far
below 2**53, where doubles are exact.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model.days import Runs, intersect, normalise
from solver.model.variables import Variables, domain

EXACT_LIMIT = 2**53


@dataclass(frozen=True)
class Weights:
    priority: int
    nations: int
    preferred: int
    most_nations: int
    most_preferred: int


def _month_runs(v: Variables, months: list[int]) -> Runs:
    """The days of the horizon that fall in one of `months`."""
    c = v.candidates
    runs = []
    day = c.scenario.horizon.start
    last = c.scenario.horizon.end
    while day <= last:
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(next_month - dt.timedelta(days=1), last)
        if day.month in months:
            runs.append((c.day(day), c.day(end)))
        day = next_month
    return normalise(runs)


def soft_priority_scheduled(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 1. The sum of `priority` over scheduled exercises."""
    return sum(
        ec.exercise.priority * v.scheduled[eid] for eid, ec in v.candidates.exercises.items()
    )


def soft_nation_participations(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 2. Over scheduled exercises, the number of distinct nations taking part."""
    return sum(v.takes_part.values())


def soft_preferred_month_hits(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 3. Scheduled exercises that start in one of their `preferred_months`."""
    for eid, ec in v.candidates.exercises.items():
        months = ec.exercise.preferred_months
        if not months:
            continue
        hits = intersect(ec.starts, _month_runs(v, months))
        if not hits:
            continue
        hit = v.model.new_bool_var(f"starts_in_preferred_month[exercise={eid}]")
        v.model.add_implication(hit, v.scheduled[eid])
        v.model.add_linear_expression_in_domain(v.start[eid], domain(hits)).only_enforce_if(hit)
        v.preferred[eid] = hit
    return sum(v.preferred.values())


def weights(v: Variables) -> Weights:
    """Exact lexicographic weights from the most each later figure can reach."""
    c = v.candidates
    most_preferred = sum(1 for e in c.exercises.values() if e.exercise.preferred_months)
    most_nations = 0
    for ec in c.exercises.values():
        nations = {c.units[u].nation for u in ec.units}
        most_nations += min(len(nations), sum(r.most for r in ec.exercise.requirements))
    preferred = 1
    nations = most_preferred + 1
    priority = (most_nations + 1) * nations
    return Weights(priority, nations, preferred, most_nations, most_preferred)


def set_objective(v: Variables) -> Weights:
    """Maximise the three figures lexicographically in one weighted objective."""
    w = weights(v)
    priority = soft_priority_scheduled(v)
    nations = soft_nation_participations(v)
    preferred = soft_preferred_month_hits(v)
    most_priority = sum(ec.exercise.priority for ec in v.candidates.exercises.values())
    if (most_priority + 1) * w.priority >= EXACT_LIMIT:
        raise OverflowError("too many exercises for exact lexicographic weights")
    v.model.maximize(w.priority * priority + w.nations * nations + w.preferred * preferred)
    return w
