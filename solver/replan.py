"""Re-planning from a base calendar (say, the approved one) with as few changes as possible.

An exercise is *changed* when it was scheduled in the base and now has another start, site or
unit set, or is no longer scheduled. With a base, calendars are compared lexicographically by
(priority_scheduled, fewest changes, nation_participations, preferred_month_hits): the first
figure still comes first (a base exercise moves if that schedules more priority), then
stability, then the later figures (`solver.search.plan_key`, `solver.model.stability`). Base placements that are no longer valid (a unit now
unavailable, a site gone, an exercise removed or resized) cannot be kept: they count as changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from solver.calendar import Calendar
from solver.greedy import Placement, Plan
from solver.model.candidates import Candidates


def same_placement(p: Placement, q: Placement) -> bool:
    return p.start == q.start and p.site == q.site and set(p.units) == set(q.units)


@dataclass(frozen=True)
class Base:
    """The base calendar read over the candidates: `plan` holds every base placement that
    names a known exercise with its duration (valid or not); `size` counts all base entries."""

    plan: Plan
    size: int

    def kept(self, plan: Plan) -> int:
        return sum(
            1 for eid, p in self.plan.items() if eid in plan and same_placement(p, plan[eid])
        )

    def changes(self, plan: Plan) -> int:
        return self.size - self.kept(plan)


def read_base(c: Candidates, base: Calendar) -> Base:
    """The base's placements in horizon days (unknown or resized exercises left out)."""
    durations = {e.id: e.duration_days for e in c.scenario.exercises}
    plan: Plan = {}
    for x in base.scheduled:
        duration = durations.get(x.exercise)
        if duration is None or x.end - x.start != dt.timedelta(days=duration - 1):
            continue
        plan[x.exercise] = Placement(c.day(x.start), x.site, tuple(x.units))
    return Base(plan, len({x.exercise for x in base.scheduled}))


def count_changes(base: Calendar, calendar: Calendar) -> int:
    """Exercises scheduled in `base` that `calendar` drops or places at another start, end,
    site or unit set (by dates, so any horizon)."""
    now = {x.exercise: x for x in calendar.scheduled}
    changes = 0
    for x in {x.exercise: x for x in base.scheduled}.values():
        y = now.get(x.exercise)
        if y is None or (x.start, x.end, x.site, set(x.units)) != (
            y.start,
            y.end,
            y.site,
            set(y.units),
        ):
            changes += 1
    return changes


__all__ = ["Base", "count_changes", "read_base", "same_placement"]
