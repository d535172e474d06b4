"""Large-neighbourhood search for large programmes, built on the greedy calendar.

A model of every exercise at once is too big for a large programme (hundreds of exercises,
thousands of units). Instead, repeatedly: pick a neighbourhood (the exercises placed near
some day, plus unscheduled ones whose window reaches it), hold every other exercise where
it is, and let CP-SAT re-plan the neighbourhood alone — a model of a few dozen exercises,
with the held exercises as fixed facts (units busy, sites occupied, nations' counts and
budgets spent). A neighbourhood's plan replaces the current one only when the calendar's
figures get better, so every step keeps every hard rule and never loses ground. When
re-planning from a base calendar, "better" ranks fewest changes second (`plan_key`) and each
neighbourhood's model may keep its base placements (`solver.model.stability`).
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TypeVar

from ortools.sat.python import cp_model

from solver.greedy import Plan
from solver.model import days as d
from solver.model.build import CalendarModel, build_model
from solver.model.candidates import Candidates, ExerciseCandidates
from solver.model.objective import lexicographic
from solver.model.stability import stable_lexicographic, stable_priority_first
from solver.reasons import nation_limit, nation_use
from solver.replan import Base
from solver.search import (
    Progress,
    Stopper,
    add_hints,
    plan_key,
    read_plan,
    report,
)

T = TypeVar("T")  # what `drop_orphans` keeps per exercise: its candidates, its placement

NEIGHBOURHOOD_PLACED = 14
NEIGHBOURHOOD_WAITING = 8
STEP_SECONDS = 1.6
NATION_RIVALS = 4
NATION_SAME_TIME = 4
# placed exercises where a nation at its limit, taking part in a nation neighbourhood's
# target, could go instead (to make way there for one with room). With targets drawn among
# exercises a nation with room can join: M/1 at 30 s, nation participations mean 302.8 over
# 24 runs (304 in 7) against 301.75 over 16 (304 in none) before (bench/RESULTS.md, session 9)
NATION_ELSEWHERE = 4
REST_REACH_DAYS = 30  # units' rest days: exercises this close in time may hold them
MAX_STEP_SECONDS = 8.0
MIN_STEP_SECONDS = 0.05
STEP_MARGIN_S = 0.1  # kept back from each step for reading its plan
# One worker (reproducible): each step's search is bounded in CP-SAT's deterministic time, and
# the search ends once the steps' estimated cost reaches a share of the time limit (the rest
# is for preparing, the greedy and a crowded machine). A step's cost is estimated from
# deterministic figures only: its model's size and the deterministic time CP-SAT reports
# (CP-SAT's count leaves out much of its propagation on these models: 0.05-0.1 units for a
# step of 1-2 s; measured on L and M, 2 shared cores, the seconds per variable below).
STEP_DETERMINISTIC = 0.4
MAX_STEP_DETERMINISTIC = 4.0
STEP_SECONDS_PER_VARIABLE = 0.0006
SECONDS_PER_DETERMINISTIC = 5.0
SKIPPED_STEP_SECONDS = 0.05  # a neighbourhood with nothing to re-plan
DETERMINISTIC_SHARE = 0.6
# first the first figure alone (extra units for more nations would hold units that
# unscheduled exercises elsewhere need), then all three
PRIORITY_ONLY_SHARE = 0.7
# A step across the year (several neighbourhoods at once, the first figure at its bound,
# no base): every placed exercise held at its site and within `YEAR_SLACK` days of its
# start, every unit free across the year, nation participations alone in the objective, and
# CP-SAT's full linearization, whose cuts on the units' assignments close the gap the
# default LP leaves. The neighbourhoods near one exercise's dates miss what swaps units and
# nations' limits between exercises far apart in the year; this finds it: from a plateau of
# M/1 at 302, the units alone at fixed dates give 305 and within 2 days 306 (proven, 1 and
# 3 s), where the default linearization, or the months weighed in, find nothing in 10 s.
# Run in one lane whenever the figures have got better since the last one: M/1 at 30 s, 17
# paired runs, nations 303.4 against 301.8 on average, 12 better, 3 worse; within 1 or 3
# days rather than 2, 6 s rather than 4, or again every 6 steps on a plateau: no better
# (bench/RESULTS.md, session 14).
YEAR_SLACK = 2
YEAR_STEP_S = 4.0
YEAR_LINEARIZATION = 2
# Once a step across the year proves its optimum (the plan cannot gain at its dates and sites,
# whatever the units), every later step uses the full linearization too: what is left needs
# exercises moved in time or to other sites, a few at once, with the units swapped between
# them. M/1 at 30 s, paired solver seeds: nations 304.6 against 304.0 (18 pairs, 9 better, 5
# worse; median 305 against 304). The full linearization for every step from the start did
# as well on M/1 (22 pairs, 14 better, 4 worse) but worse on M/2 (8 of 12 worse): M/2's
# fewer, later steps need to be quick, and there no step across the year proved its optimum
# within 30 s, so M/2 kept the default (bench/RESULTS.md, session 15). Since the steps across
# the year run on every worker (below) M/2's may prove theirs too, and the full linearization
# after that costs it nothing: from its 2140 plans, 15 s, 214.2 against 214.0 with the
# default kept (12 pairs, 4 better, 1 worse; session 22).
# A step across the year runs alone, on every worker: CP-SAT's full search on the full
# linearization (`YEAR_SUBSOLVER`, its `max_lp` worker) beside CP-SAT's own neighbourhoods
# of the step's model, which turn the LP's guidance into plans. M/2 from a 2140 plan (198
# nations), units free at its dates: one worker's full search on that LP found nothing
# better in 15 s (its bound 214); a two-worker portfolio's default LP found 212 (its bound
# 239); the full LP beside the neighbourhoods proved 213 in 2.4 s, and within 2 days of the
# dates 215 in 6 s. M/2 at 30 s, 12 paired solver seeds: nations 214.5 against 213.5 with a
# step on one lane (7 better, 2 worse); from its 2140 plans, 15 s: 214.2 against 211.9 (12
# pairs, 8 better, 2 worse); M/1 at 30 s the same (305.2 against 305.3, 11 pairs, 4 better, 2
# worse). It replaces session 16's switch to CP-SAT's interleaved search for a step lost in
# its LP (bench/RESULTS.md, session 22).
YEAR_SUBSOLVER = "max_lp"
# A step across the year holds every worker for `YEAR_STEP_S` where a neighbourhood step
# takes a fraction of it: while the neighbourhoods still gain, they are the better use of it.
# So a step across the year waits, besides a better plan than the last one began from, for
# this many neighbourhood steps in a row that found no better plan. From plans at the first
# figure's optimum (`bench/bench_refine.py`): M/1 for 25 s, nations mean 304.8 against 302.5
# without the wait (8 pairs, 7 better, none worse), 303.9 with a wait of 6; M/2 for 15 s,
# 210.2 against 209.5 (15 pairs, 10 better, 4 worse) (bench/RESULTS.md, session 18).
YEAR_AFTER_IDLE = 3


def _forbidden_starts(busy: list[tuple[int, int]], duration: int, rest: int) -> d.Runs:
    """Starts at which a unit, busy (with its rest) on [a, b), could not take `duration` days."""
    return d.normalise((a - duration - rest + 1, b - 1) for a, b in busy)


def drop_orphans(members: dict[str, T], exercises: Mapping[str, ExerciseCandidates]) -> None:
    """Drop, in place, every member (an exercise's id: its candidates, its placement) whose
    predecessor (`after`, looked up in `exercises`) is not a member: one dropped from a
    neighbourhood cannot be scheduled there, one left out of a plan leaves out those after it."""
    changed = True
    while changed:
        changed = False
        for eid in list(members):
            if any(link.exercise not in members for link in exercises[eid].exercise.after):
                del members[eid]
                changed = True


def neighbourhood(c: Candidates, chosen: list[str], held: Plan) -> Candidates:
    """The candidates of `chosen` exercises alone, with `held` placements as fixed facts."""
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    used: dict[str, int] = defaultdict(int)
    joined: dict[str, int] = defaultdict(int)
    spent: dict[str, int] = defaultdict(int)
    load: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for eid, p in held.items():
        duration = c.exercises[eid].duration
        people = 0
        for uid in p.units:
            unit = c.units[uid]
            busy[uid].append((p.start, p.start + duration + unit.rest_days))
            used[uid] += 1
            spent[unit.nation] += unit.personnel * duration
            people += unit.personnel
        for code in {c.units[u].nation for u in p.units}:
            joined[code] += 1
        load[p.site].append((p.start, duration, people))

    units = dict(c.units)
    for uid, n in used.items():
        if units[uid].max_exercises is not None:
            units[uid] = units[uid].model_copy(
                update={"max_exercises": units[uid].max_exercises - n}
            )
    nations = dict(c.nations)
    for code, nation in c.nations.items():
        update = {}
        if nation.max_exercises is not None and joined[code]:
            update["max_exercises"] = nation.max_exercises - joined[code]
        if nation.budget_person_days is not None and spent[code]:
            update["budget_person_days"] = nation.budget_person_days - spent[code]
        if nation.desired_exercises and joined[code]:  # the wish left to the neighbourhood
            update["desired_exercises"] = max(0, nation.desired_exercises - joined[code])
        if update:
            nations[code] = nation.model_copy(update=update)

    keep = set(chosen)
    successors: dict[str, list[tuple[int, int]]] = defaultdict(list)  # pred -> (start, gap)
    for eid, p in held.items():
        for link in c.exercises[eid].exercise.after:
            successors[link.exercise].append((p.start, link.gap_days))

    exercises: dict[str, ExerciseCandidates] = {}
    for eid in chosen:
        ec = c.exercises[eid]
        starts = ec.starts
        links = []
        for link in ec.exercise.after:
            if link.exercise in held:
                pred = held[link.exercise]
                low = pred.start + c.exercises[link.exercise].duration + link.gap_days
                starts = d.at_least(starts, low)
            elif link.exercise in keep:
                links.append(link)
            else:
                starts = []
        must = ec.must
        for succ_start, gap in successors.get(eid, []):
            starts = d.clip(starts, starts[0][0] if starts else 0, succ_start - gap - ec.duration)
            must = True
        exercise = ec.exercise.model_copy(
            update={"after": links, "mandatory": ec.exercise.mandatory or must}
        )
        runs_by_unit = {}
        for uid, runs in ec.units.items():
            runs = d.intersect(runs, starts)
            if busy.get(uid):
                runs = d.subtract(
                    runs, _forbidden_starts(busy[uid], ec.duration, units[uid].rest_days)
                )
            if runs and (units[uid].max_exercises is None or units[uid].max_exercises > 0):
                runs_by_unit[uid] = runs
        sites = {x: d.intersect(r, starts) for x, r in ec.sites.items()}
        sites = {x: r for x, r in sites.items() if r}
        pinned = [u for u in ec.pinned_units if u in runs_by_unit]
        if not starts or not sites or len(pinned) < len(ec.pinned_units):
            continue
        exercises[eid] = dataclasses.replace(
            ec,
            exercise=exercise,
            starts=starts,
            sites=sites,
            units=runs_by_unit,
            pinned_units=pinned,
            by_capability={
                k: [u for u in v if u in runs_by_unit] for k, v in ec.by_capability.items()
            },
        )
    drop_orphans(exercises, exercises)
    return dataclasses.replace(
        c,
        units=units,
        nations=nations,
        exercises=exercises,
        static_reasons={},
        fixed_site_load=dict(load),
        _unit_starts={},
    )


def _pick(
    c: Candidates, plan: Plan, rnd: random.Random, hopeless: frozenset[str] = frozenset()
) -> list[str]:
    """Exercises placed nearest a random day, and unscheduled ones whose starts reach it
    (but none of the `hopeless`: the data conflicts keep them out whatever is scheduled)."""
    day = rnd.randrange(c.horizon_days)
    placed = sorted(plan, key=lambda e: abs(plan[e].start + c.exercises[e].duration // 2 - day))[
        :NEIGHBOURHOOD_PLACED
    ]
    waiting = [
        e
        for e, ec in c.exercises.items()
        if e not in plan
        and e not in hopeless
        and ec.starts[0][0] <= day + 30
        and ec.starts[-1][1] >= day - 30
    ]
    rnd.shuffle(waiting)
    waiting.sort(key=lambda e: -c.exercises[e].exercise.priority)
    return placed + waiting[:NEIGHBOURHOOD_WAITING]


def _nation_rivals(c: Candidates, plan: Plan, target: str, rnd: random.Random) -> list[str]:
    """Placed exercises of lower priority that spend what a nation the target needs has
    left (its `max_exercises` or budget): giving one up may let the target in."""
    ec = c.exercises[target]
    wanted = {c.units[u].nation for u in ec.units}
    limited = {
        code
        for code in wanted
        if c.nations.get(code) is not None
        and (
            c.nations[code].max_exercises is not None
            or c.nations[code].budget_person_days is not None
        )
    }
    if not limited:
        return []
    rivals = [
        e
        for e, p in plan.items()
        if c.exercises[e].exercise.priority < ec.exercise.priority
        and not c.exercises[e].must
        and any(c.units[u].nation in limited for u in p.units)
    ]
    rnd.shuffle(rivals)
    return rivals[:NATION_RIVALS]


def _nation_room(c: Candidates, plan: Plan) -> Callable[[str], set[str]]:
    """For an exercise, the nations that could join it without giving up another one: under
    their `max_exercises`, with budget left for their cheapest candidate unit there
    (`solver.reasons.nation_limit`, which also names them in the reasons)."""
    use = nation_use(c, plan)

    def room(eid: str) -> set[str]:
        nations = {c.units[u].nation for u in c.exercises[eid].units}
        return {code for code in nations if nation_limit(c, eid, code, use) is None}

    return room


def _pick_nations(
    c: Candidates, plan: Plan, rnd: random.Random, hopeless: frozenset[str] = frozenset()
) -> list[str]:
    """A placed exercise that nations not yet in it could join, and the placed exercises
    holding what they would need: those nations' candidate units near its dates, and (for
    their limits and budgets) other exercises they take part in; plus its neighbours in time.

    The target is drawn among the exercises a missing nation with room could join (under
    its `max_exercises`, budget left: `_nation_room`); a nation at its limit adds nothing
    wherever it goes. So that one at its limit may make way, the neighbourhood also holds
    placed exercises where a nation at its limit taking part in the target could go instead."""
    room = _nation_room(c, plan)
    open_: list[tuple[str, set[str]]] = []
    fallback: list[tuple[str, set[str]]] = []
    for eid, p in plan.items():
        ec = c.exercises[eid]
        missing = {c.units[u].nation for u in ec.units} - {c.units[u].nation for u in p.units}
        if missing:
            fallback.append((eid, missing))
            with_room = missing & room(eid)
            if with_room:
                open_.append((eid, with_room))
    if not open_ and not fallback:
        return _pick(c, plan, rnd, hopeless)
    target, missing = rnd.choice(open_ or fallback)
    ec = c.exercises[target]
    first, last = ec.starts[0][0], ec.starts[-1][1] + ec.duration
    units = {u for u in ec.units if c.units[u].nation in missing}
    present = {c.units[u].nation for u in plan[target].units}
    # nations in the target that are at their limit: where else they could take part
    at_limit = present - room(target)
    near, far, elsewhere = [], [], []
    for eid, p in plan.items():
        if eid == target:
            continue
        nations = {c.units[u].nation for u in p.units}
        if (
            not units.isdisjoint(p.units)
            and p.start < last + REST_REACH_DAYS
            and p.start + c.exercises[eid].duration + REST_REACH_DAYS > first
        ):
            near.append(eid)
        elif nations & missing:
            far.append(eid)
        elif any(
            c.units[u].nation in at_limit and c.units[u].nation not in nations
            for u in c.exercises[eid].units
        ):
            elsewhere.append(eid)
    rnd.shuffle(near)
    rnd.shuffle(far)
    rnd.shuffle(elsewhere)
    start = plan[target].start
    same_time = sorted(plan, key=lambda e: abs(plan[e].start - start))[:NATION_SAME_TIME]
    chosen = [
        target,
        *near[:NEIGHBOURHOOD_PLACED],
        *far[:NATION_RIVALS],
        *elsewhere[:NATION_ELSEWHERE],
        *same_time,
    ]
    return list(dict.fromkeys(chosen))


def holders(c: Candidates, plan: Plan, eid: str, before: int, after: int) -> list[str]:
    """Placed exercises holding a candidate unit or site of `eid` from `before` days before
    its first possible start to `after` days after its last possible end (in plan order)."""
    ec = c.exercises[eid]
    first, last = ec.starts[0][0], ec.starts[-1][1] + ec.duration
    units, sites = set(ec.units), set(ec.sites)
    return [
        e
        for e, p in plan.items()
        if p.start < last + after
        and p.start + c.exercises[e].duration + before > first
        and (p.site in sites or not units.isdisjoint(p.units))
    ]


def _pick_blockers(
    c: Candidates, plan: Plan, rnd: random.Random, hopeless: frozenset[str] = frozenset()
) -> list[str]:
    """An unscheduled exercise (drawn by priority; never one of the `hopeless`) and the placed
    ones holding its units or sites within its window: the neighbourhood that could make room
    for it."""
    waiting = [e for e in c.exercises if e not in plan and e not in hopeless]
    if not waiting:
        return _pick(c, plan, rnd, hopeless)
    target = rnd.choices(waiting, weights=[c.exercises[e].exercise.priority for e in waiting])[0]
    ec = c.exercises[target]
    first, last = ec.starts[0][0], ec.starts[-1][1] + ec.duration
    blockers = holders(c, plan, target, before=REST_REACH_DAYS, after=0)
    rnd.shuffle(blockers)
    blockers = blockers[:NEIGHBOURHOOD_PLACED] + _nation_rivals(c, plan, target, rnd)
    others = [
        e
        for e in waiting
        if e != target
        and c.exercises[e].starts[0][0] < last
        and c.exercises[e].starts[-1][1] > first
    ]
    rnd.shuffle(others)
    chosen = list(dict.fromkeys([target, *blockers, *others[: NEIGHBOURHOOD_WAITING - 1]]))
    return chosen


def must_haves_first(c: Candidates, params, seconds: float) -> Plan | None:
    """A plan of the must-haves alone (and their predecessors), found by CP-SAT: the base
    for the greedy calendar when the greedy could not place them all by itself."""
    chosen: list[str] = []

    def visit(eid: str) -> None:
        if eid in chosen:
            return
        for link in c.exercises[eid].exercise.after:
            if link.exercise in c.exercises:
                visit(link.exercise)
        chosen.append(eid)

    for eid, ec in c.exercises.items():
        if ec.must:
            visit(eid)
    sub = neighbourhood(c, chosen, {})
    cm = build_model(sub)
    cm.model.maximize(cm.figures.priority)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    if params.workers == 1:  # reproducible: bounded by work done, not by the clock
        solver.parameters.max_deterministic_time = params.time_limit_s / 3 * DETERMINISTIC_SHARE
    solver.parameters.cp_model_probing_level = 0
    if Stopper(params.should_stop).run(solver, cm.model, None) not in (
        cp_model.OPTIMAL,
        cp_model.FEASIBLE,
    ):
        return None
    return read_plan(cm, solver.value)


@dataclass(frozen=True)
class _Step:
    """A neighbourhood to re-plan: the step's number (its CP-SAT seed is the search's seed
    plus it), its exercises, and the plan it starts from."""

    number: int
    chosen: list[str]
    plan: Plan
    year: bool = False  # a step across the year (`YEAR_SLACK`)


@dataclass(frozen=True)
class _Done:
    """What a step's search gave: a whole plan (`None` if CP-SAT found none, not even its
    hint back), the step's estimated cost (deterministic mode), whether it was a step
    across the year and whether CP-SAT proved its optimum."""

    plan: Plan | None
    cost: float
    year: bool = False
    proven: bool = False


@dataclass(frozen=True)
class Searched:
    """What `improve` did: its plan, the steps it made (those across the year among them)
    and what ended them."""

    plan: Plan
    steps: int
    ended: str
    year_steps: int = 0
    settled_at: int | None = None  # the step from which every step used the full linearization

    @property
    def note(self) -> str:
        lp = "" if self.settled_at is None else f"; the full LP from step {self.settled_at}"
        year = f" ({self.year_steps} across the year{lp})" if self.year_steps else ""
        return f"neighbourhood search: {self.steps} steps{year}, ended by {self.ended}"


def near_placements(sub: Candidates, plan: Plan, days: int) -> Candidates:
    """`sub` with each exercise of `plan` held at its site and within `days` of its start,
    its units free among its candidates available then. An exercise that cannot be placed
    so (a placement the candidates do not allow) is left out, with those that follow it."""
    exercises = dict(sub.exercises)
    for eid, p in plan.items():
        if eid not in exercises:
            continue
        ec = exercises[eid]
        starts = d.clip(ec.starts, p.start - days, p.start + days)
        units = {u: r for u, runs in ec.units.items() if (r := d.intersect(runs, starts))}
        site = d.intersect(ec.sites.get(p.site, []), starts)
        if not site:
            del exercises[eid]
            continue
        exercises[eid] = dataclasses.replace(
            ec,
            starts=starts,
            sites={p.site: site},
            units=units,
            by_capability={k: [u for u in v if u in units] for k, v in ec.by_capability.items()},
        )
    drop_orphans(exercises, exercises)
    return dataclasses.replace(sub, exercises=exercises, _unit_starts={})


def _step_model(
    c: Candidates, step: _Step, base: Base | None, priority_only: bool
) -> tuple[CalendarModel, Plan] | None:
    """The neighbourhood's model, hinted with its current placements and given the
    objective of the search's phase, and the placements it holds; `None` when there is
    nothing to re-plan (or a must-have of it could not be kept). A step across the year
    re-plans every placed exercise near its placement (`YEAR_SLACK`)."""
    plan, chosen = step.plan, step.chosen
    held = {e: p for e, p in plan.items() if e not in chosen}
    sub = neighbourhood(c, chosen, held)
    if step.year:
        sub = near_placements(sub, plan, YEAR_SLACK)
    if not sub.exercises or any(c.exercises[e].must and e not in sub.exercises for e in chosen):
        return None
    sub_base = None if base is None else {e: p for e, p in base.plan.items() if e in chosen}
    cm = build_model(sub, base=sub_base)
    add_hints(cm, {e: p for e, p in plan.items() if e in sub.exercises})
    if step.year:
        # nation participations alone, the first figure kept (with the later figures
        # weighed in, CP-SAT's cuts no longer close the gap)
        kept = sum(c.exercises[e].exercise.priority for e in plan if e in sub.exercises)
        cm.model.add(cm.figures.priority >= kept)
        cm.model.maximize(cm.figures.nations)
    elif cm.stable is not None and priority_only:
        cm.model.maximize(stable_priority_first(cm.figures, cm.stable, cm.kept))
    elif cm.stable is not None:
        cm.model.maximize(stable_lexicographic(cm.figures, cm.weights, cm.stable, cm.kept))
    elif priority_only:
        cm.model.maximize(cm.figures.priority)
    else:
        cm.model.maximize(lexicographic(cm.figures, cm.weights))
    return cm, held


def improve(
    c: Candidates,
    plan: Plan,
    params,
    t0: float,
    on_progress: Callable[[Progress], None] | None,
    bound: int,
    base: Base | None = None,
    priority_first: bool = True,
    budget_s: float | None = None,
    hopeless: Collection[str] = (),
) -> Searched:
    """Improve `plan` neighbourhood by neighbourhood until the time limit or `should_stop`
    (with a `base`, fewest changes from it rank second); the plan, the steps made and what
    ended them ("the time limit", "a stop", "its step count", "its deterministic budget").

    Reproducible with one worker: then every step's CP-SAT search is bounded by a
    deterministic time (`max_deterministic_time`, CP-SAT's own count of work done, the same
    on any machine and any load), the neighbourhoods come from a RNG seeded with
    `params.seed`, and the search ends after `params.lns_steps` steps, or else once the
    steps' estimated cost (from their models' sizes and deterministic times, never from a
    clock) reaches `DETERMINISTIC_SHARE` of the time limit; the first figure alone is
    sought over the first `PRIORITY_ONLY_SHARE` of that. The wall-clock limit stays as a
    safety net: a run it cuts short (a slow or crowded machine: a step, or the whole search)
    is the one source of difference between two runs. With more workers the steps follow
    the wall clock (CP-SAT's parallel portfolio is not reproducible anyway) and use the
    whole time limit.

    Neighbourhoods alternate: exercises near a random day (`_pick`), an unscheduled exercise
    with what blocks it (`_pick_blockers`, two steps in three while the first figure is sought
    alone) and, with `priority_first=False`, an exercise more nations could join with what
    holds them (`_pick_nations`; two steps in three once the first figure reaches `bound`,
    when no unscheduled exercise can come in for free).

    `priority_first=False` skips the first-figure-only steps (every step then weighs all
    the figures: the refinement of a full model's phase 2, `solver.search`); `budget_s` is the
    deterministic budget's share of the time limit when the search has only part of it.
    Without reproducibility (two workers or more, no `lns_steps`) it then searches
    `params.workers` neighbourhoods at once, one CP-SAT worker each (a step that ends starts
    the next from the best plan so far; a step begun from an older plan is taken only when
    its whole plan is better), and takes a plan whose figures equal the best's, so that the
    search moves along a plateau instead of stalling on it. There, with no base, once the
    first figure reaches `bound`, one of the steps at a time is a step across the year
    (`YEAR_SLACK`), whenever the figures have got better since the last one and the
    neighbourhoods have stopped gaining (`YEAR_AFTER_IDLE`): it waits for the steps running
    and runs alone, on every worker (`YEAR_SUBSOLVER`); once one of them proves its optimum,
    every step uses CP-SAT's full linearization.

    `hopeless`: exercises the data conflicts keep out whatever is scheduled
    (`solver.reasons.data_conflict_reasons`); no neighbourhood is spent on them."""
    kept_out = frozenset(hopeless)
    rnd = random.Random(params.seed)
    best_key = plan_key(c, plan, base)
    steps = 0
    deterministic = params.workers == 1
    step_limit = STEP_DETERMINISTIC if deterministic else STEP_SECONDS
    budget = (budget_s or params.time_limit_s) * DETERMINISTIC_SHARE  # deterministic mode only
    spent = 0.0
    wanted_steps = params.lns_steps
    # The refinement of a whole-model phase 2 (`priority_first=False`) with two workers or
    # more and no call for reproducibility searches one neighbourhood per worker at once and
    # moves along plateaus. M/1 at 30 s, nation participations over 16 runs: mean 301.4
    # (298-304, 304 in 4), against 300.0 (298-302) over 8 runs one neighbourhood at a time;
    # either change alone gave no gain (bench/RESULTS.md, session 7).
    concurrent = 1
    if not priority_first and not deterministic and wanted_steps is None:
        concurrent = params.workers

    def left() -> float:
        return params.time_limit_s - (time.perf_counter() - t0)

    def priority_phase() -> bool:
        if not priority_first:
            return False
        if wanted_steps is not None:
            return steps <= wanted_steps * PRIORITY_ONLY_SHARE
        if deterministic:
            return spent < budget * PRIORITY_ONLY_SHARE
        return left() > params.time_limit_s * (1 - PRIORITY_ONLY_SHARE)

    overhead = 0.0  # seconds a step spends before CP-SAT (neighbourhood, model), worst recent

    def why_not() -> str | None:
        """What ends the search now (`None`: nothing, another step may start)."""
        if params.should_stop and params.should_stop():
            return "a stop"
        if wanted_steps is not None and steps >= wanted_steps:
            return "its step count"
        if wanted_steps is None and deterministic and spent >= budget:
            return "its deterministic budget"
        if left() <= overhead + STEP_MARGIN_S + (0.0 if deterministic else MIN_STEP_SECONDS):
            return "the time limit"  # the wall-clock safety net
        return None

    year_key: tuple[int, ...] | None = None  # the figures the last step across the year began from
    year_steps = 0
    idle = 0  # neighbourhood steps in a row that found no better plan
    settled_at: int | None = None  # from this step on, the full linearization for every step

    def year_due() -> bool:
        """Whether the next step is one across the year (see above)."""
        return (
            concurrent > 1
            and base is None
            and best_key[0] >= bound
            and best_key != year_key
            and idle >= YEAR_AFTER_IDLE
        )

    def next_step(year: bool = False) -> _Step:
        nonlocal steps, spent, year_key, year_steps
        steps += 1
        spent += SKIPPED_STEP_SECONDS
        if year:
            year_key = best_key
            year_steps += 1
            return _Step(steps, list(plan), plan, year=True)
        if priority_first:
            # two steps making room for an unscheduled exercise for one around a random day
            chosen = (_pick_blockers if steps % 3 else _pick)(c, plan, rnd, kept_out)
        else:  # the later figures count from the start: neighbourhoods for more nations too
            picks = (_pick, _pick_blockers, _pick_nations)
            if best_key[0] >= bound:
                picks = (_pick, _pick_nations, _pick_nations)
            chosen = picks[steps % 3](c, plan, rnd, kept_out)
        return _Step(steps, chosen, plan)

    def run(step: _Step, priority_only: bool) -> _Done | None:
        """The step's search (`None`: nothing to re-plan, or no time left for it)."""
        nonlocal overhead
        began = time.perf_counter()
        built = _step_model(c, step, base, priority_only)
        if built is None:
            return None
        cm, held = built
        overhead = max(overhead * 0.9, time.perf_counter() - began)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = max(1, params.workers // concurrent)
        if step.year:  # alone, on every worker
            solver.parameters.num_workers = params.workers
            solver.parameters.subsolvers.append(YEAR_SUBSOLVER)
        solver.parameters.random_seed = params.seed + step.number
        solver.parameters.cp_model_probing_level = 0  # probing alone would eat the step
        if step.year or settled_at is not None:
            solver.parameters.linearization_level = YEAR_LINEARIZATION
        if deterministic:
            solver.parameters.max_deterministic_time = step_limit
            solver.parameters.max_time_in_seconds = max(MIN_STEP_SECONDS, left() - STEP_MARGIN_S)
        else:
            seconds = min(YEAR_STEP_S if step.year else step_limit, left() - STEP_MARGIN_S)
            if seconds < MIN_STEP_SECONDS:
                return None  # the time limit: no room for a step
            solver.parameters.max_time_in_seconds = seconds
        code = Stopper(params.should_stop).run(solver, cm.model, None)
        cost = (
            STEP_SECONDS_PER_VARIABLE * len(cm.model.proto.variables)
            + SECONDS_PER_DETERMINISTIC * solver.deterministic_time
        )
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _Done(None, cost, step.year)
        found = {**held, **read_plan(cm, solver.value)}
        return _Done(found, cost, step.year, code == cp_model.OPTIMAL)

    def take(done: _Done | None) -> None:
        """Count the step's cost, adapt the step length (a neighbourhood step's), count the
        neighbourhood steps in a row without a better plan (`YEAR_AFTER_IDLE`), keep its
        plan if it is better."""
        nonlocal spent, step_limit, plan, best_key, settled_at, idle
        if done is None:
            return
        if done.year and done.proven and settled_at is None:
            settled_at = steps + 1  # the next step to start
        spent += done.cost
        longest = MAX_STEP_DETERMINISTIC if deterministic else MAX_STEP_SECONDS
        shortest = STEP_DETERMINISTIC if deterministic else STEP_SECONDS
        if done.plan is None:
            # not even the hint back: presolve alone took the step (a busy machine)
            if not done.year:
                step_limit = min(step_limit * 1.5, longest)
            return
        if not done.year:
            step_limit = max(shortest, step_limit * 0.9)
        key = plan_key(c, done.plan, base)
        if not done.year:
            idle = 0 if key > best_key else idle + 1
        sideways = concurrent > 1 and key == best_key and done.plan != plan
        if key > best_key or sideways:
            improved = key > best_key
            plan, best_key = done.plan, key
            if improved:
                report(on_progress, c, plan, bound, t0, "cp-sat lns", base)

    if concurrent == 1:
        while (ended := why_not()) is None:
            take(run(next_step(), priority_phase()))
        return Searched(plan, steps, ended)

    with ThreadPoolExecutor(concurrent, thread_name_prefix="pfp-lns") as pool:
        running: set[Future] = set()
        across_year: set[Future] = set()  # a step across the year, running alone
        ended = None
        while True:
            ended = ended or why_not()
            while ended is None and not across_year and len(running) < concurrent:
                year = year_due()
                if year and running:
                    break  # the step across the year waits for the lanes to end
                step = next_step(year)
                future = pool.submit(run, step, priority_phase())
                running.add(future)
                if step.year:
                    across_year.add(future)
            if not running:
                break
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            across_year -= finished
            for future in finished:
                take(future.result())
    return Searched(plan, steps, ended or "the time limit", year_steps, settled_at)
