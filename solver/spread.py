"""A programme spread over the year, after the figures: exercises moved to quieter days.

The load of a day is the number of exercises running on it. A calendar whose exercises
crowd into a few weeks asks more of the PCC's staff, of host nations' ranges and of the
partners' liaison officers at once than one that spreads them out; the spec's figures do not
see it. This pass, run on the search's calendar, evens the load out without changing any
figure: each exercise, the most crowded first, moves to the start whose days carry the
least load (the sum over its days, the exercise itself left out) when that is less than
where it is, keeping its site, its units and everything the rules ask of a start:

- the start is one of the exercise's allowed starts (window, horizon, pin) at which its site
  and every one of its units are available for all its days (the candidates' start runs);
- each of its units keeps its `rest_days` clear of its other exercises;
- its site keeps within `concurrent` and `capacity_personnel` on every day;
- `after` links hold both ways: after its predecessors' ends plus their gaps, and before its
  successors' starts by theirs;
- its preferred-month hit stays as it was (a hit is a figure).

Priority, nations, budgets and wishes do not depend on the dates. Moving an exercise to the
days of least load lowers the sum of the squared daily loads, so every move spreads the
programme and the passes end. The pass stops at its deadline; exercises in `keep` (a
re-plan's placements kept from the base) stay where they are. `spread_figures` reports the
result: the most exercises running on one day, and the exercise-days of each month.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Collection
from itertools import accumulate

from solver.greedy import Placement, Plan
from solver.model import days as d
from solver.model.candidates import Candidates
from solver.travel import SiteLoad

MAX_PASSES = 4


@dataclasses.dataclass(frozen=True)
class Spread:
    """How the programme is spread: the most exercises on one day, and exercise-days by
    month (`YYYY-MM`)."""

    peak_exercises: int
    exercise_days_by_month: dict[str, int]


def daily_load(c: Candidates, plan: Plan) -> list[int]:
    load = [0] * c.horizon_days
    for eid, p in plan.items():
        for day in range(p.start, p.start + c.exercises[eid].duration):
            load[day] += 1
    return load


def spread_figures(c: Candidates, plan: Plan) -> Spread:
    load = daily_load(c, plan)
    months: dict[str, int] = defaultdict(int)
    for day, n in enumerate(load):
        if n:
            months[c.date(day).strftime("%Y-%m")] += n
    return Spread(max(load, default=0), dict(sorted(months.items())))


class _Rules:
    """What a start must keep, for one exercise at a time, against the rest of the plan."""

    def __init__(self, c: Candidates, plan: Plan):
        self.c = c
        self.plan = plan
        self.sites = SiteLoad(c, plan)
        self.of_unit: dict[str, list[str]] = defaultdict(list)
        self.successors: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for eid, p in plan.items():
            for u in p.units:
                self.of_unit[u].append(eid)
            for link in c.exercises[eid].exercise.after:
                self.successors[link.exercise].append((eid, link.gap_days))

    def allowed(self, eid: str) -> d.Runs:
        """The starts at which the exercise's site and units are available (rules 1-5's
        calendar part, from the candidates)."""
        ec = self.c.exercises[eid]
        p = self.plan[eid]
        if p.site not in ec.sites or any(u not in ec.units for u in p.units):
            return []  # placed outside the candidates (a re-plan's base): it stays
        runs = d.intersect(ec.starts, ec.sites[p.site])
        for u in p.units:
            runs = d.intersect(runs, ec.units[u])
        return runs

    def fits(self, eid: str, start: int) -> bool:
        """Whether the exercise may start on `start` (its own site load left out)."""
        c = self.c
        ec = c.exercises[eid]
        p = self.plan[eid]
        duration = ec.duration
        for link in ec.exercise.after:
            before = self.plan[link.exercise]
            if start < before.start + c.exercises[link.exercise].duration + link.gap_days:
                return False
        for later, gap in self.successors[eid]:
            if self.plan[later].start < start + duration + gap:
                return False
        for u in p.units:
            rest = c.units[u].rest_days
            for other in self.of_unit[u]:
                if other == eid:
                    continue
                o = self.plan[other]
                if not (
                    start + duration + rest <= o.start
                    or o.start + c.exercises[other].duration + rest <= start
                ):
                    return False
        return self.sites.has_room(eid, p.site, start)

    def hit(self, eid: str, start: int) -> bool:
        return self.c.in_preferred_month(eid, start)


def spread_out(
    c: Candidates, plan: Plan, keep: Collection[str] = (), deadline: float = math.inf
) -> tuple[Plan, int]:
    """`plan` with exercises moved to quieter days (see the module's docstring), and the
    number of exercises moved."""
    plan = dict(plan)
    rules = _Rules(c, plan)
    load = daily_load(c, plan)
    movable = [eid for eid in plan if eid not in keep and d.size(c.exercises[eid].starts) > 1]

    def crowd(eid: str) -> int:
        p = plan[eid]
        return sum(load[p.start : p.start + c.exercises[eid].duration])

    moved: set[str] = set()
    for _ in range(MAX_PASSES):
        changed = False
        for eid in sorted(movable, key=lambda e: (-crowd(e), e)):
            if time.perf_counter() > deadline:
                return plan, len(moved)
            p = plan[eid]
            duration = c.exercises[eid].duration
            for day in range(p.start, p.start + duration):
                load[day] -= 1  # the exercise itself left out
            sums = [0, *accumulate(load)]
            here = sums[p.start + duration] - sums[p.start]
            options = sorted(
                (sums[s + duration] - sums[s], s)
                for s in d.values(rules.allowed(eid))
                if sums[s + duration] - sums[s] < here
            )
            was_hit = rules.hit(eid, p.start)
            rules.sites.occupy(eid, -1)
            best = p.start
            for _, start in options:
                if rules.hit(eid, start) == was_hit and rules.fits(eid, start):
                    best = start
                    break
            if best != p.start:
                plan[eid] = Placement(best, p.site, p.units)  # rules.plan is plan
                moved.add(eid)
                changed = True
            rules.sites.occupy(eid, +1)
            for day in range(best, best + duration):
                load[day] += 1
        if not changed:
            break
    return plan, len(moved)
