"""A fast greedy calendar: the CP-SAT search's warm start, and its fallback.

Exercises are taken pinned and mandatory first, then by priority (predecessors of an
`after` link just before the exercise that needs them). Each one gets the first start
(preferred months first) at which enough free units and a free site are found; units are
picked to bring new nations in. It keeps every hard rule, over the same candidates as
the model, so its plan is a valid hint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solver.model import days as d
from solver.model.candidates import Candidates, ExerciseCandidates
from solver.scenario import Exercise, Unit
from solver.stopping import NEVER

MAX_STARTS_TRIED = 80


@dataclass(frozen=True)
class Placement:
    """Where and when one exercise is put, with its units (days are horizon indices)."""

    start: int
    site: str
    units: tuple[str, ...]


Plan = dict[str, Placement]


class _State:
    def __init__(self, c: Candidates):
        self.c = c
        self.unit_busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.unit_count: dict[str, int] = defaultdict(int)
        self.nation_count: dict[str, int] = defaultdict(int)
        self.nation_spent: dict[str, int] = defaultdict(int)
        self.site_count: dict[str, list[int]] = {}
        self.site_people: dict[str, list[int]] = {}
        self.plan: Plan = {}
        self.demand = _demand(c)

    def unit_free(self, uid: str, start: int, duration: int) -> bool:
        unit = self.c.units[uid]
        if unit.max_exercises is not None and self.unit_count[uid] >= unit.max_exercises:
            return False
        end = start + duration + unit.rest_days
        return all(end <= a or b <= start for a, b in self.unit_busy[uid])

    def nation_can_join(self, code: str, joined: set[str]) -> bool:
        nation = self.c.nations.get(code)
        if nation is None or nation.max_exercises is None or code in joined:
            return True
        return self.nation_count[code] < nation.max_exercises

    def nation_can_fund(self, code: str, person_days: int, extra: dict[str, int]) -> bool:
        nation = self.c.nations.get(code)
        if nation is None or nation.budget_person_days is None:
            return True
        spent = self.nation_spent[code] + extra.get(code, 0) + person_days
        return spent <= nation.budget_person_days

    def site_fits(self, sid: str, start: int, duration: int, people: int) -> bool:
        site = self.c.sites[sid]
        count = self.site_count.get(sid)
        if count is None:
            return site.capacity_personnel is None or people <= site.capacity_personnel
        crowd = self.site_people[sid]
        for day in range(start, start + duration):
            if count[day] + 1 > site.concurrent:
                return False
            if site.capacity_personnel is not None and crowd[day] + people > (
                site.capacity_personnel
            ):
                return False
        return True

    def book(self, ec: ExerciseCandidates, placement: Placement) -> None:
        c = self.c
        start, duration = placement.start, ec.duration
        nations = set()
        people = 0
        for uid in placement.units:
            unit = c.units[uid]
            self.unit_busy[uid].append((start, start + duration + unit.rest_days))
            self.unit_count[uid] += 1
            self.nation_spent[unit.nation] += unit.personnel * duration
            nations.add(unit.nation)
            people += unit.personnel
        for code in nations:
            self.nation_count[code] += 1
        if placement.site not in self.site_count:
            size = c.horizon_days
            self.site_count[placement.site] = [0] * size
            self.site_people[placement.site] = [0] * size
        for day in range(start, start + duration):
            self.site_count[placement.site][day] += 1
            self.site_people[placement.site][day] += people
        self.plan[ec.id] = placement


def _demand(c: Candidates) -> dict[str, float]:
    """How much the programme may want each unit: days it would be held, shared among the
    candidates of each requirement. Scarce units are kept for where only they will do."""
    demand: dict[str, float] = defaultdict(float)
    for ec in c.exercises.values():
        for req in ec.exercise.requirements:
            pool = ec.by_capability.get(req.capability, [])
            for uid in pool:
                held = ec.duration + c.units[uid].rest_days
                demand[uid] += req.units * held / len(pool)
    return demand


def _pick_units(
    state: _State, ec: ExerciseCandidates, start: int, extra: bool = True
) -> tuple[str, ...] | None:
    """Units for every requirement at `start`, bringing in new nations first; or None."""
    c = state.c
    e = ec.exercise
    chosen: list[str] = []
    nations: set[str] = set()
    spent: dict[str, int] = defaultdict(int)
    people = 0

    def usable(uid: str) -> bool:
        unit = c.units[uid]
        return (
            uid not in chosen
            and d.contains(ec.units[uid], start)
            and state.unit_free(uid, start, ec.duration)
            and state.nation_can_join(unit.nation, nations)
            and state.nation_can_fund(unit.nation, unit.personnel * ec.duration, spent)
            and (e.max_personnel is None or people + unit.personnel <= e.max_personnel)
        )

    def take(uid: str) -> None:
        nonlocal people
        unit = c.units[uid]
        chosen.append(uid)
        nations.add(unit.nation)
        spent[unit.nation] += unit.personnel * ec.duration
        people += unit.personnel

    for uid in ec.pinned_units:
        if not usable(uid):
            return None
        take(uid)
    per_requirement: dict[str, list[str]] = {}
    for req in e.requirements:
        pool = ec.by_capability.get(req.capability, [])
        have = [u for u in chosen if c.units[u].capability == req.capability]
        while len(have) < req.units:
            options = [u for u in pool if usable(u)]
            if not options:
                return None
            options.sort(key=lambda u: (c.units[u].nation in nations, state.demand[u]))
            take(options[0])
            have.append(options[0])
        per_requirement[req.capability] = have
    # more nations: add units from nations not yet in, up to each requirement's max_units
    for req in e.requirements if extra else ():
        have = per_requirement[req.capability]
        pool = ec.by_capability.get(req.capability, [])
        while len(have) < req.most:
            options = [u for u in pool if c.units[u].nation not in nations and usable(u)]
            if not options:
                break
            options.sort(key=lambda u: state.demand[u])
            take(options[0])
            have.append(options[0])
    if len(nations) < e.min_nations:
        return None
    return tuple(chosen)


def _starts_to_try(c: Candidates, ec: ExerciseCandidates, low: int) -> list[int]:
    starts = d.at_least(ec.starts, low)
    total = d.size(starts)
    if total == 0:
        return []
    step = max(1, total // MAX_STARTS_TRIED)
    values = [s for k, s in enumerate(d.values(starts)) if k % step == 0]
    if ec.exercise.preferred_months:
        eid = ec.exercise.id
        values.sort(key=lambda s: not c.in_preferred_month(eid, s))
    return values


def _place(state: _State, ec: ExerciseCandidates) -> Placement | None:
    c = state.c
    low = 0
    for link in ec.exercise.after:
        pred = state.plan.get(link.exercise)
        if pred is None:
            return None
        low = max(low, pred.start + c.exercises[link.exercise].duration + link.gap_days)
    for start in _starts_to_try(c, ec, low):
        sites = [sid for sid, runs in ec.sites.items() if d.contains(runs, start)]
        if not sites:
            continue
        for extra in (True, False):  # without the extra nations, a crowded site may fit
            units = _pick_units(state, ec, start, extra)
            if units is None:
                break
            people = sum(c.units[u].personnel for u in units)
            for sid in sites:
                if state.site_fits(sid, start, ec.duration, people):
                    return Placement(start, sid, units)
    return None


def _order(c: Candidates, tightest_first: bool) -> list[str]:
    """Must-haves first (pinned, then the tightest, if `tightest_first`), then the rest by
    priority; an exercise's predecessors just before it."""
    ranked = sorted(
        c.exercises.values(),
        key=lambda ec: (
            tightest_first and ec.exercise.pinned is None,
            not ec.must,
            0 if ec.must and tightest_first else -ec.exercise.priority,
            d.size(ec.starts),
        ),
    )
    out: list[str] = []
    seen: set[str] = set()

    def visit(eid: str) -> None:
        if eid in seen:
            return
        seen.add(eid)
        for link in c.exercises[eid].exercise.after:
            if link.exercise in c.exercises:
                visit(link.exercise)
        out.append(eid)

    for ec in ranked:
        visit(ec.id)
    return out


def greedy_plan(c: Candidates, base: Plan | None = None, stop: Callable[[], bool] = NEVER) -> Plan:
    """A valid plan over the candidates, starting from `base` (a valid plan) if given;
    must-haves it cannot place are left out. Must-haves are tried by priority, then, if
    one is left out, tightest first; the plan keeping more of them (then better) wins.

    `stop` is asked before each exercise: once it says stop, the plan so far is returned
    (valid, as every plan the greedy holds; must-haves come first, so it keeps those it
    had placed)."""
    best: Plan | None = None
    best_key: tuple = ()
    for tightest_first in (False, True):
        plan = _greedy_pass(c, base, tightest_first, stop)
        kept = sum(1 for eid, ec in c.exercises.items() if ec.must and eid in plan)
        key = (kept, sum(c.exercises[e].exercise.priority for e in plan))
        if best is None or key > best_key:
            best, best_key = plan, key
        if kept == sum(1 for ec in c.exercises.values() if ec.must) or stop():
            break
    assert best is not None
    return best


def _greedy_pass(
    c: Candidates, base: Plan | None, tightest_first: bool, stop: Callable[[], bool] = NEVER
) -> Plan:
    state = _State(c)
    for eid, placement in (base or {}).items():
        state.book(c.exercises[eid], placement)
    for eid in _order(c, tightest_first):
        if eid in state.plan:
            continue
        if stop():
            break
        ec = c.exercises[eid]
        placement = _place(state, ec)
        if placement is not None:
            state.book(ec, placement)
    return state.plan


def _fits(state: _State, ec: ExerciseCandidates, p: Placement) -> bool:
    """Whether placement `p` of `ec` keeps every hard rule with what `state` holds already."""
    c = state.c
    e = ec.exercise
    if not d.contains(ec.starts, p.start) or not d.contains(ec.sites.get(p.site, []), p.start):
        return False
    if len(set(p.units)) != len(p.units) or not set(ec.pinned_units) <= set(p.units):
        return False
    for uid in p.units:
        if not d.contains(ec.units.get(uid, []), p.start):
            return False
        if not state.unit_free(uid, p.start, ec.duration):
            return False
    if not team_meets(e, [c.units[u] for u in p.units]):
        return False
    spent: dict[str, int] = defaultdict(int)
    for uid in p.units:
        spent[c.units[uid].nation] += c.units[uid].personnel * ec.duration
    people = sum(c.units[u].personnel for u in p.units)
    if e.max_personnel is not None and people > e.max_personnel:
        return False
    for code, amount in spent.items():
        if not state.nation_can_join(code, set()) or not state.nation_can_fund(code, amount, {}):
            return False
    for link in e.after:
        pred = state.plan.get(link.exercise)
        if pred is None:
            return False
        if p.start < pred.start + c.exercises[link.exercise].duration + link.gap_days:
            return False
    return state.site_fits(p.site, p.start, ec.duration, people)


def team_meets(e: Exercise, units: Sequence[Unit], at_most: bool = True) -> bool:
    """Rules 4 and 6 for a team of `units`: each requirement's count of its capability at least
    `units` (and at most `most` when `at_most`), and at least `min_nations` nations."""
    for req in e.requirements:
        n = sum(1 for u in units if u.capability == req.capability)
        if n < req.units or (at_most and n > req.most):
            return False
    return len({u.nation for u in units}) >= e.min_nations


def fitting_plan(c: Candidates, wanted: Plan) -> Plan:
    """As much of `wanted` (placements from elsewhere: a re-plan's base calendar) as keeps every
    hard rule over the candidates; taken in the greedy's order, each if it fits with those
    taken before it."""
    state = _State(c)
    for eid in _order(c, False):
        p = wanted.get(eid)
        if p is not None and _fits(state, c.exercises[eid], p):
            state.book(c.exercises[eid], p)
    return state.plan
