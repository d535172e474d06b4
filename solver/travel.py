"""Shorter travel, after the figures: each exercise moved to a nearer host site when one is free.

Travel is the great-circle distance from each assigned unit's `home` to its exercise's site
`location`, summed over the calendar (one way, in km); a unit without a home or a site
without a location adds nothing. It ranks after every figure the search weighs: the site of
an exercise changes none of them (priority, nation participations, preferred months and
wishes depend on which exercises are placed, when, and with which units), so the search
leaves it out of its model (a term per unit, exercise and site would multiply the model's
size) and this pass shortens it afterwards on the search's calendar, keeping every start and
every unit:

for each placed exercise, most travel first, the nearest eligible site (one of its
candidates, available on those days) that still has room on every day of it (`concurrent`,
`capacity_personnel`, counting the exercises already there) replaces its site when that
shortens the exercise's travel; passes repeat while one moves something (a move frees room
for others). The search leaves the pass a moment (`solver.solve`) and the pass stops at the
time limit (the exercises with the most travel come first). Exercises in `keep` (a re-plan's
placements kept from the base: moving one would count as a change) and pinned sites stay
where they are.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Collection

from solver.greedy import Plan
from solver.model import days as d
from solver.model.candidates import Candidates
from solver.scenario import GeoPoint

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
MAX_PASSES = 4


def great_circle_km(a: GeoPoint, b: GeoPoint) -> float:
    """The haversine distance between two points, in km."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def exercise_travel_km(c: Candidates, units: Collection[str], site: str) -> float:
    location = c.sites[site].location
    if location is None:
        return 0.0
    return sum(
        great_circle_km(c.units[u].home, location) for u in units if c.units[u].home is not None
    )


def plan_travel_km(c: Candidates, plan: Plan) -> float:
    return sum(exercise_travel_km(c, p.units, p.site) for p in plan.values())


class SiteLoad:
    """The exercises and personnel each site hosts on each day of `plan` (a dict the caller
    updates: `occupy(eid, -1)` before moving an exercise, `occupy(eid, +1)` after), to tell
    where one more fits (rule 3: `concurrent`, `capacity_personnel`)."""

    def __init__(self, c: Candidates, plan: Plan):
        self.c = c
        self.plan = plan
        self.people = {eid: sum(c.units[u].personnel for u in p.units) for eid, p in plan.items()}
        self.count: dict[tuple[str, int], int] = defaultdict(int)
        self.personnel: dict[tuple[str, int], int] = defaultdict(int)
        for eid in plan:
            self.occupy(eid, +1)

    def occupy(self, eid: str, sign: int) -> None:
        p = self.plan[eid]
        for day in range(p.start, p.start + self.c.exercises[eid].duration):
            self.count[p.site, day] += sign
            self.personnel[p.site, day] += sign * self.people[eid]

    def has_room(self, eid: str, site: str, start: int) -> bool:
        """Whether `site` can host the exercise from `start` (its own load left out first)."""
        s = self.c.sites[site]
        for day in range(start, start + self.c.exercises[eid].duration):
            if self.count[site, day] + 1 > s.concurrent:
                return False
            if (
                s.capacity_personnel is not None
                and self.personnel[site, day] + self.people[eid] > s.capacity_personnel
            ):
                return False
        return True


def shorten_travel(
    c: Candidates, plan: Plan, keep: Collection[str] = (), deadline: float = math.inf
) -> tuple[Plan, int]:
    """`plan` with nearer sites where they have room (see the module's docstring), and the
    number of exercises moved; the exercises not reached by `deadline` (`time.perf_counter()`)
    stay where they are."""
    plan = dict(plan)
    load = SiteLoad(c, plan)
    movable = [
        eid for eid, p in plan.items() if eid not in keep and c.sites[p.site].location is not None
    ]
    travel = {eid: exercise_travel_km(c, plan[eid].units, plan[eid].site) for eid in movable}
    movable.sort(key=lambda e: (-travel[e], e))
    # each exercise's eligible sites at its start, nearest first, with their travel (its
    # start and units never change, so this holds over every pass)
    options: dict[str, list[tuple[float, str]]] = {}
    for i, eid in enumerate(movable):
        if time.perf_counter() > deadline:
            del movable[i:]
            break
        p = plan[eid]
        options[eid] = sorted(
            (exercise_travel_km(c, p.units, sid), sid)
            for sid, runs in c.exercises[eid].sites.items()
            if c.sites[sid].location is not None and d.contains(runs, p.start)
        )
    moved: set[str] = set()
    for _ in range(MAX_PASSES):
        changed = False
        for eid in sorted(movable, key=lambda e: (-travel[e], e)):
            for km, sid in options[eid]:
                if km >= travel[eid] - 1e-6:
                    break
                if load.has_room(eid, sid, plan[eid].start):
                    load.occupy(eid, -1)
                    plan[eid] = dataclasses.replace(plan[eid], site=sid)
                    load.occupy(eid, +1)
                    travel[eid] = km
                    moved.add(eid)
                    changed = True
                    break
        if not changed:
            break
    return plan, len(moved)
