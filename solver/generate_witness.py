"""A simple first-fit placer the generator uses to make pinned and mandatory exercises honest.

Before the generator marks exercises mandatory or pinned, it places them here, one after
another, keeping rules 2-8 of the spec; only those that fit together are marked, and pins copy
the placement. So every generated scenario has at least one calendar that keeps rules 1-9.
It is not the solver's greedy: it never revisits a choice and ignores every figure.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate

from solver.scenario import Exercise, Scenario, Unit, Window


@dataclass(frozen=True, slots=True)
class Placement:
    exercise: str
    start: int  # day index from the horizon's start
    site: str
    units: tuple[str, ...]


def _day_mask(
    horizon: Window, windows: list[Window] | None, blackouts: list[Window], size: int
) -> list[int]:
    """1 on the days inside some window (all days when none) and outside every blackout."""
    if windows:
        mask = [0] * size
        for w in windows:
            for d in range((w.start - horizon.start).days, (w.end - horizon.start).days + 1):
                mask[d] = 1
    else:
        mask = [1] * size
    for b in blackouts:
        for d in range((b.start - horizon.start).days, (b.end - horizon.start).days + 1):
            mask[d] = 0
    return mask


def _prefix(mask: list[int]) -> list[int]:
    return [0, *accumulate(mask)]


@dataclass
class Ledger:
    """What placed exercises already use: unit bookings, site load, nation counts."""

    scenario: Scenario
    days: int = 0
    unit_free: dict[str, list[int]] = field(default_factory=dict)
    unit_jobs: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    site_free: dict[str, list[int]] = field(default_factory=dict)
    site_count: dict[str, list[int]] = field(default_factory=dict)
    site_people: dict[str, list[int]] = field(default_factory=dict)
    nation_count: dict[str, int] = field(default_factory=dict)
    nation_person_days: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sc = self.scenario
        self.days = sc.horizon.days
        nations = {n.code: n for n in sc.nations}
        for u in sc.units:
            n = nations[u.nation]
            mask = _day_mask(sc.horizon, u.availability, u.blackouts, self.days)
            nation_mask = _day_mask(sc.horizon, n.availability, n.blackouts, self.days)
            self.unit_free[u.id] = _prefix([a & b for a, b in zip(mask, nation_mask, strict=True)])
            self.unit_jobs[u.id] = []
        for s in sc.sites:
            self.site_free[s.id] = _prefix(_day_mask(sc.horizon, s.availability, [], self.days))
            self.site_count[s.id] = [0] * self.days
            self.site_people[s.id] = [0] * self.days
        self.nations = nations
        self.units = {u.id: u for u in sc.units}
        self.sites = {s.id: s for s in sc.sites}
        self.by_capability: dict[str, list[Unit]] = {}
        for u in sc.units:
            self.by_capability.setdefault(u.capability, []).append(u)

    def _unit_fits(self, u: Unit, start: int, end: int) -> bool:
        free = self.unit_free[u.id]
        if free[end + 1] - free[start] != end - start + 1:
            return False
        jobs = self.unit_jobs[u.id]
        if u.max_exercises is not None and len(jobs) >= u.max_exercises:
            return False
        return all(start > e + u.rest_days or s > end + u.rest_days for s, e in jobs)

    def _nation_fits(self, code: str, joining: bool, person_days: int) -> bool:
        n = self.nations[code]
        count = self.nation_count.get(code, 0) + (1 if joining else 0)
        if n.max_exercises is not None and count > n.max_exercises:
            return False
        spent = self.nation_person_days.get(code, 0) + person_days
        return n.budget_person_days is None or spent <= n.budget_person_days

    def try_place(self, e: Exercise, rng: random.Random, tries: int = 25) -> Placement | None:
        """Find a start, site and units keeping rules 2-8 with what is placed; book them."""
        window = self.scenario.exercise_window(e)
        first = (window.start - self.scenario.horizon.start).days
        last = (window.end - self.scenario.horizon.start).days - e.duration_days + 1
        if last < first:
            return None
        sites = [s.id for s in self.scenario.eligible_sites(e)]
        if not sites:
            return None
        for _ in range(tries):
            start = rng.randint(first, last)
            end = start + e.duration_days - 1
            site = rng.choice(sites)
            units = self._pick_units(e, start, end, rng)
            if units is not None and self._site_fits(site, start, end, units):
                self._book(e, start, end, site, units)
                return Placement(e.id, start, site, tuple(u.id for u in units))
        return None

    def _site_fits(self, site_id: str, start: int, end: int, units: list[Unit]) -> bool:
        site = self.sites[site_id]
        free = self.site_free[site_id]
        if free[end + 1] - free[start] != end - start + 1:
            return False
        people = sum(u.personnel for u in units)
        for d in range(start, end + 1):
            if self.site_count[site_id][d] + 1 > site.concurrent:
                return False
            cap = site.capacity_personnel
            if cap is not None and self.site_people[site_id][d] + people > cap:
                return False
        return True

    def _pick_units(
        self, e: Exercise, start: int, end: int, rng: random.Random
    ) -> list[Unit] | None:
        chosen: list[Unit] = []
        nations: set[str] = set()
        for req in e.requirements:
            pool = [
                u
                for u in self.by_capability.get(req.capability, [])
                if self._unit_fits(u, start, end)
            ]
            rng.shuffle(pool)
            pool.sort(key=lambda u: u.nation in nations)  # new nations first
            taken = 0
            for u in pool:
                if taken == req.units:
                    break
                if self._nation_fits(u.nation, u.nation not in nations, 0):
                    chosen.append(u)
                    nations.add(u.nation)
                    taken += 1
            if taken < req.units:
                return None
        if len(nations) < e.min_nations:
            return None
        if e.max_personnel is not None and sum(u.personnel for u in chosen) > e.max_personnel:
            return None
        spend: dict[str, int] = {}
        for u in chosen:
            spend[u.nation] = spend.get(u.nation, 0) + u.personnel * e.duration_days
        if not all(self._nation_fits(code, True, pd) for code, pd in spend.items()):
            return None
        return chosen

    def _book(self, e: Exercise, start: int, end: int, site: str, units: list[Unit]) -> None:
        for u in units:
            self.unit_jobs[u.id].append((start, end))
        for code in {u.nation for u in units}:
            self.nation_count[code] = self.nation_count.get(code, 0) + 1
        for u in units:
            pd = u.personnel * e.duration_days
            self.nation_person_days[u.nation] = self.nation_person_days.get(u.nation, 0) + pd
        people = sum(u.personnel for u in units)
        for d in range(start, end + 1):
            self.site_count[site][d] += 1
            self.site_people[site][d] += people

    def date(self, day: int) -> dt.date:
        return self.scenario.horizon.start + dt.timedelta(days=day)
