"""The CP-SAT search, in two phases that never trade an earlier figure for a later one.

Phase 1 maximises `priority_scheduled` alone, from the greedy calendar as a hint (with two
workers or more, a phase 1 that stalls goes on as repairs, `solver.repair`, then re-plans
near its best plan). Phase 2 holds it at the best found (`>=`, so it may still rise) and
maximises the later figures (`nation_participations`, then `preferred_month_hits`, with
exact weights), hinted with phase 1's best; if phase 1 did not prove its optimum, phase 2
maximises all three with exact weights. A progress callback hears of each improving
calendar; `should_stop` is polled by a small watcher thread that stops the search.

A re-plan (a `Base`) ranks fewest changes second: phase 1 maximises priority, then the kept
base placements; phase 2 the kept base placements, then the later figures (exact weights,
`solver.model.stability`); plans are compared by `plan_key`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.calendar import Kpi
from solver.greedy import Placement, Plan
from solver.model.build import CalendarModel, build_model
from solver.model.candidates import Candidates
from solver.model.objective import after_priority, lexicographic, upper
from solver.model.stability import (
    stable_after_priority,
    stable_lexicographic,
    stable_priority_first,
)
from solver.replan import Base

PHASE_1_SHARE = 0.75  # a mid-sized first figure is often found late in the search
PHASE_1_SHARE_CAPPED = 0.85  # on large (capped) models the first figure is what matters
PROBING_OFF_ABOVE_PAIRS = 500  # probing in presolve costs seconds on mid-sized models
# CP-SAT's own neighbourhood search, in deterministic time per neighbourhood (its default is
# 0.1): deeper neighbourhoods find M/2's optimum in phase 1 in 22 runs of 36, against 14 of
# 36 with the default (paired solver seeds, bench/RESULTS.md, session 6)
LNS_DETERMINISTIC = 0.5
# phase 2 with a `refine` step: CP-SAT on the whole model first (it proves small models'
# optimum in this time), then the neighbourhood search, then CP-SAT again from its plan.
# The neighbourhoods find nation participations faster than CP-SAT on a whole mid-sized
# model (85% of phase 2 rather than 60%: M/1 301 rather than 299 at 30 s, session 5), and
# since their steps across the year (`solver.lns.YEAR_SLACK`) do what this search did in
# its 3 s at once, nearly all of it (M/1 at 30 s, paired solver seeds: 303.4 against 302.6
# with 3 s here, 301.4 before the steps across the year; bench/RESULTS.md, session 14).
PHASE_2_SHARE = 0.01
PHASE_2_MIN_S = 0.5
REFINE_MIN_S = 1.0
# phase 1 of a whole model, two workers or more: after this long without a better plan, the
# fill and the repairs (`Repair`: M/2's optimum in 23 runs of 30 at 30 s, against 17 of 30
# without, session 13); once they gain nothing more, a re-plan from the best (the first figure,
# then fewest changes from it: a search near the stalled plan, `solver.model.stability`) for
# the rest of phase 1, again after `STALL_AGAIN_S` without a gain (M/2: 33 of 51 runs against
# 26 of 51 without, session 12; paired solver seeds, bench/RESULTS.md). Since the fill
# (session 17) a short stall pays: phase 1's whole model creeps a few exercises at a time
# where the fill brings in the rest at once. M/2 at 30 s, 1.5 s against 4 s, 16 paired solver
# seeds: 2140 in 16 against 15, reached at 10.6 s against 14.7 s (medians), nation
# participations 213.2 against 210.3 on average over the runs at 2140, 12 runs better, 4
# worse; 2 s against 4 s, 32 pairs: 20 better, 11 worse (bench/RESULTS.md, session 20)
STALL_S = 1.5
STALL_AGAIN_S = 8.0
STALL_MIN_LEFT_S = 1.0  # no re-plan for less of phase 1 than this
FINAL_SHARE = 0.05

# refine(plan, until_s, bound) -> a plan at least as good, found before `until_s` (seconds
# from the start of the solve), and what it did in a few words: `solver.lns.improve`
Refine = Callable[[Plan, float, int], tuple[Plan, str]]
# repair(plan, until, bound) -> a plan at least as good, found before `until` (a
# `perf_counter` time), and what it did in a few words: `solver.repair.repair`
Repair = Callable[[Plan, float, int], tuple[Plan, str]]


def plan_kpi(c: Candidates, plan: Plan) -> Kpi:
    priority = nations = preferred = 0
    for eid, placement in plan.items():
        e = c.exercises[eid].exercise
        priority += e.priority
        nations += len({c.units[u].nation for u in placement.units})
        preferred += c.in_preferred_month(eid, placement.start)
    return Kpi(
        priority_scheduled=priority, nation_participations=nations, preferred_month_hits=preferred
    )


def plan_joined(c: Candidates, plan: Plan) -> dict[str, int]:
    """How many exercises of `plan` each nation takes part in."""
    joined: dict[str, int] = {}
    for placement in plan.values():
        for code in {c.units[u].nation for u in placement.units}:
            joined[code] = joined.get(code, 0) + 1
    return joined


def plan_wishes(c: Candidates, plan: Plan) -> int:
    """`desired_exercises_met`: over nations with a wish, exercises joined up to the wish."""
    joined = plan_joined(c, plan)
    return sum(
        min(joined.get(n.code, 0), n.desired_exercises)
        for n in c.scenario.nations
        if n.desired_exercises
    )


def plan_key(c: Candidates, plan: Plan, base: Base | None = None) -> tuple[int, ...]:
    """How plans are compared: the three figures, then the wishes met; with fewest changes
    second when re-planning."""
    kpi = plan_kpi(c, plan)
    wishes = plan_wishes(c, plan)
    if base is None:
        return (*kpi.as_tuple(), wishes)
    return (kpi.priority_scheduled, -base.changes(plan), *kpi.as_tuple()[1:], wishes)


@dataclass(frozen=True)
class Progress:
    """An improving calendar's figures, the best proven bound, seconds since the call; when
    re-planning, its number of changes from the base."""

    kpi: Kpi
    bound: int | None
    elapsed_s: float
    # "greedy", or the CP-SAT search that found it: "cp-sat" (the whole model), "cp-sat fill",
    # "cp-sat repair", "cp-sat lns"
    source: str
    changes: int | None = None
    desired_exercises_met: int | None = None  # the wish figure after the three


def report(
    on_progress: Callable[[Progress], None] | None,
    c: Candidates,
    plan: Plan,
    bound: int | None,
    t0: float,
    source: str,
    base: Base | None = None,
) -> None:
    """Tell `on_progress` (if given) of an improving calendar: its figures and wishes, the
    bound, seconds since `t0`, where it came from and, with a `base`, its changes from it."""
    if on_progress is None:
        return
    kpi, wishes = plan_kpi(c, plan), plan_wishes(c, plan)
    changes = None if base is None else base.changes(plan)
    elapsed = time.perf_counter() - t0
    on_progress(Progress(kpi, bound, elapsed, source, changes, wishes))


@dataclass
class SearchOutcome:
    plan: Plan | None = None
    infeasible: bool = False
    priority_proven: bool = False
    rest_proven: bool = False
    bound: int | None = None
    first_solution_s: float | None = None
    statuses: list[str] = field(default_factory=list)
    stopped: bool = False


def read_plan(cm: CalendarModel, value: Callable) -> Plan:
    v = cm.variables
    plan: Plan = {}
    for eid, ec in v.candidates.exercises.items():
        if not value(v.scheduled[eid]):
            continue
        site = next(sid for sid in ec.sites if value(v.site[eid, sid]))
        units = tuple(uid for uid in ec.units if value(v.assign[uid, eid]))
        plan[eid] = Placement(int(value(v.start[eid])), site, units)
    return plan


def add_hints(cm: CalendarModel, plan: Plan) -> None:
    """Hint every decision variable with `plan` (a complete hint the search can start from)."""
    v = cm.variables
    model = cm.model
    c = v.candidates
    model.clear_hints()
    for eid, ec in c.exercises.items():
        placement = plan.get(eid)
        model.add_hint(v.scheduled[eid], placement is not None)
        start = placement.start if placement else ec.starts[0][0]
        model.add_hint(v.start[eid], start)
        for sid in ec.sites:
            model.add_hint(v.site[eid, sid], placement is not None and placement.site == sid)
        chosen = set(placement.units) if placement else set()
        for uid in ec.units:
            model.add_hint(v.assign[uid, eid], uid in chosen)
        model.add_hint(v.personnel[eid], sum(c.units[u].personnel for u in chosen))
        if eid in v.preferred:
            hit = placement is not None and c.in_preferred_month(eid, start)
            model.add_hint(v.preferred[eid], hit)
    for (code, eid), var in v.takes_part.items():
        placement = plan.get(eid)
        model.add_hint(
            var, placement is not None and any(c.units[u].nation == code for u in placement.units)
        )
    joined = plan_joined(c, plan)
    for code, var in v.wishes.items():
        model.add_hint(var, min(joined.get(code, 0), upper(var)))


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Keeps the best plan seen over both phases and reports each improvement."""

    def __init__(
        self, cm: CalendarModel, t0: float, best: tuple, on_progress, base: Base | None = None
    ):
        super().__init__()
        self.cm = cm
        self.t0 = t0
        self.best = best
        self.on_progress = on_progress
        self.base = base
        self.bound_of: Callable[[float], int | None] = lambda _: None
        self.first_s: float | None = None
        self.plan: Plan | None = None
        self.plan_kpi: Kpi | None = None
        self.plan_key: tuple | None = None
        self.last_gain = time.perf_counter()  # when `best` last rose

    def on_solution_callback(self) -> None:
        if self.first_s is None:
            self.first_s = time.perf_counter() - self.t0
        c = self.cm.variables.candidates
        plan = read_plan(self.cm, self.value)
        kpi = plan_kpi(c, plan)
        key = plan_key(c, plan, self.base)
        if self.plan_key is None or key > self.plan_key:
            self.plan, self.plan_kpi, self.plan_key = plan, kpi, key
        if key > self.best:
            self.best = key
            self.last_gain = time.perf_counter()
            if self.on_progress is not None:
                bound = self.bound_of(self.best_objective_bound)
                report(self.on_progress, c, plan, bound, self.t0, "cp-sat", self.base)


class Stopper:
    """Polls `should_stop` and stops the running CP-SAT search when it says so."""

    def __init__(self, should_stop: Callable[[], bool] | None):
        self.should_stop = should_stop
        self.stopped = False

    def asked(self) -> bool:
        """Whether `should_stop` says stop now."""
        return self.should_stop is not None and self.should_stop()

    def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel, watcher) -> int:
        if self.should_stop is None:
            return solver.solve(model, watcher)
        if self.should_stop():
            self.stopped = True
            return cp_model.UNKNOWN
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.05):
                if self.should_stop():
                    self.stopped = True
                    solver.stop_search()
                    return

        thread = threading.Thread(target=watch, name="pfp-solve-stop", daemon=True)
        thread.start()
        try:
            return solver.solve(model, watcher)
        finally:
            done.set()
            thread.join()


def _solver(params, seconds: float, pairs: int, core: bool = False) -> cp_model.CpSolver:
    """A CP-SAT solver; `core` puts the core-based search among few workers (it proves the
    later figures' optimum far sooner than the default portfolio of two)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, params.workers)
    p.random_seed = params.seed
    p.max_time_in_seconds = max(0.01, seconds)
    p.log_search_progress = params.log
    p.lns_initial_deterministic_limit = LNS_DETERMINISTIC
    if pairs > PROBING_OFF_ABOVE_PAIRS:
        p.cp_model_probing_level = 0
    if core and p.num_workers == 1:
        p.optimize_with_core = True
    elif core and p.num_workers < 8:
        p.subsolvers.extend(
            ["core", "default_lp", "max_lp", "no_lp", "quick_restart"][: p.num_workers]
        )
    return solver


def search(
    cm: CalendarModel,
    hint: Plan,
    hint_kpi: Kpi | None,
    params,
    t0: float,
    static_bound: int,
    base: Base | None = None,
    refine: Refine | None = None,
    repair: Repair | None = None,
) -> SearchOutcome:
    """Both phases within the time left of `params.time_limit_s` (counted from `t0`); with a
    `base` (and `cm` built with it), fewest changes rank second.

    With `refine`, phase 2 runs CP-SAT on the whole model for a share of the time (enough
    to prove a small programme's optimum); if that does not prove it, `refine` improves the
    best plan (neighbourhood by neighbourhood: far quicker on the later figures of a
    mid-sized programme than one search of the whole model) until `FINAL_SHARE` of the
    time is left, and CP-SAT starts again from its plan for the rest, which may still prove
    it optimal."""
    c = cm.variables.candidates
    model = cm.model
    f, w = cm.figures, cm.weights
    out = SearchOutcome(bound=static_bound)
    first = plan_key(c, hint, base) if hint_kpi is not None else (-1,)
    watcher = _Watcher(cm, t0, first, params.progress, base)
    stopper = Stopper(params.should_stop)

    def left() -> float:
        return params.time_limit_s - (time.perf_counter() - t0)

    sw = cm.stable if base is not None else None
    # a re-plan's phase 1 also keeps what it can of the base (priority first, exact weights)
    phase_1_weight = 1 if sw is None else sw.priority // sw.kept

    def priority_bound(objective_bound: float) -> int:
        if sw is None:
            return min(static_bound, int(objective_bound + 1e-6))
        return min(static_bound, int((objective_bound + 1e-6) // phase_1_weight))

    # phase 1: the first figure alone (with a base: then the base placements kept). The
    # proven bound (`solver.model.bound`) as a constraint ends it as soon as a plan reaches it
    add_hints(cm, hint)
    model.add(f.priority <= static_bound)
    if sw is None:
        model.maximize(f.priority)
    else:
        model.maximize(stable_priority_first(f, sw, cm.kept))
    watcher.bound_of = priority_bound
    share = PHASE_1_SHARE_CAPPED if c.capped else PHASE_1_SHARE
    phase_1_end = time.perf_counter() + left() * share
    solver = _solver(params, left() * share, c.pairs)
    # two workers or more (not reproducible anyway): a stall ends the search, for a re-plan
    stalls = sw is None and params.workers > 1
    stall = Stopper(_or_stalled(params.should_stop, watcher, STALL_S)) if stalls else stopper
    watcher.last_gain = time.perf_counter()
    code = stall.run(solver, model, watcher)
    label = "priority" if sw is None else "priority, changes"
    out.statuses.append(f"phase 1 ({label}): {solver.status_name(code)}")
    if code == cp_model.INFEASIBLE:
        out.infeasible = True
        return _finish(out, watcher, stopper)
    if code == cp_model.OPTIMAL:
        out.priority_proven = True
        out.bound = int(round(solver.objective_value)) // phase_1_weight
    elif code == cp_model.FEASIBLE:
        out.bound = priority_bound(solver.best_objective_bound)
    if stall is not stopper and stall.stopped:
        stopper.stopped = stopper.asked()  # a stall alone is no stop
        if not stopper.stopped and code == cp_model.FEASIBLE:
            bound = out.bound if out.bound is not None else static_bound
            if repair is not None and watcher.plan is not None:
                repaired, note = repair(watcher.plan, phase_1_end, bound)
                _adopt(watcher, repaired)
                out.statuses.append(note)
            proven = False
            if (
                watcher.plan_kpi is not None
                and watcher.plan_kpi.priority_scheduled < bound
                and phase_1_end - time.perf_counter() > STALL_MIN_LEFT_S
            ):
                note, proven = _replan_stalled(
                    c, watcher, params, t0, static_bound, bound, phase_1_end
                )
                out.statuses.append(note)
            reached = watcher.plan_kpi is not None and watcher.plan_kpi.priority_scheduled >= bound
            if (proven or reached) and watcher.plan_kpi is not None:
                out.priority_proven = True  # proven, or the plan reaches a proven bound
                out.bound = watcher.plan_kpi.priority_scheduled
            stopper.stopped = stopper.asked()
    if stopper.stopped or left() < 0.05:
        return _finish(out, watcher, stopper)

    # phase 2: the later figures, the first held at its best
    best = watcher.plan if watcher.plan is not None else hint
    best_kpi = watcher.plan_kpi if watcher.plan is not None else hint_kpi
    add_hints(cm, best)
    if best_kpi is not None:
        model.add(f.priority >= best_kpi.priority_scheduled)
    priority_weight = w.priority if sw is None else sw.priority
    if out.priority_proven:
        if sw is None:
            model.maximize(after_priority(f, w))
        else:
            model.maximize(stable_after_priority(f, w, sw, cm.kept))
        proven = out.bound
        watcher.bound_of = lambda _: proven
    else:
        if sw is None:
            model.maximize(lexicographic(f, w))
        else:
            model.maximize(stable_lexicographic(f, w, sw, cm.kept))
        watcher.bound_of = lambda b: min(
            out.bound or static_bound, int((b + 1e-6) // priority_weight)
        )
    figures = "nations, months, wishes" if sw is None else "changes, nations, months, wishes"
    seconds = left()
    if refine is not None:
        seconds = max(PHASE_2_SHARE * seconds, min(PHASE_2_MIN_S, 0.6 * seconds))
    solver = _solver(params, seconds, c.pairs, core=True)
    code = stopper.run(solver, model, watcher)
    out.statuses.append(f"phase 2 ({figures}): {solver.status_name(code)}")
    if (
        refine is not None
        and code != cp_model.OPTIMAL
        and not stopper.stopped
        and watcher.plan is not None
        and left() > REFINE_MIN_S
    ):
        until = params.time_limit_s - FINAL_SHARE * left()
        bound = out.bound if out.bound is not None else static_bound
        refined, note = refine(watcher.plan, until, bound)
        out.statuses.append(note)
        _adopt(watcher, refined)
        if stopper.asked():
            stopper.stopped = True
        if not stopper.stopped and left() > 0.05:
            add_hints(cm, watcher.plan)
            solver = _solver(params, left(), c.pairs, core=True)
            code = stopper.run(solver, model, watcher)
            out.statuses.append(f"phase 2 again, from the refined plan: {solver.status_name(code)}")
    if code == cp_model.OPTIMAL:
        if not out.priority_proven and watcher.plan_kpi is not None:
            out.bound = watcher.plan_kpi.priority_scheduled
        out.priority_proven = out.rest_proven = True
    elif code == cp_model.FEASIBLE and not out.priority_proven:
        out.bound = min(
            out.bound or static_bound,
            int((solver.best_objective_bound + 1e-6) // priority_weight),
        )
    return _finish(out, watcher, stopper)


def _or_stalled(
    should_stop: Callable[[], bool] | None,
    watcher: _Watcher,
    stall_s: float,
    bound: int | None = None,
) -> Callable[[], bool]:
    """`should_stop`, or no better plan for `stall_s` seconds, or a plan whose first figure
    reaches the proven `bound` (nothing left to find that phase 1 looks for)."""

    def stop() -> bool:
        if should_stop is not None and should_stop():
            return True
        kpi = watcher.plan_kpi
        if bound is not None and kpi is not None and kpi.priority_scheduled >= bound:
            return True
        return watcher.plan is not None and time.perf_counter() - watcher.last_gain > stall_s

    return stop


def _replan_stalled(
    c: Candidates,
    watcher: _Watcher,
    params,
    t0: float,
    static_bound: int,
    bound: int,
    until: float,
) -> tuple[str, bool]:
    """Phase 1 went `STALL_S` without a better plan: until `until` (a `perf_counter` time),
    search from the best plan with fewest changes from it ranked second (CP-SAT then stays
    near it, where a whole new search wanders), a new model with it as the base; again from
    the best after `STALL_AGAIN_S` without a gain. What it did, in a few words, and whether
    it proved the best plan's first figure optimal."""
    rounds, gained = 0, 0
    proven = False
    stop = params.should_stop
    while (
        not proven
        and watcher.plan is not None
        and watcher.plan_kpi is not None
        and watcher.plan_kpi.priority_scheduled < bound
        and until - time.perf_counter() > STALL_MIN_LEFT_S
        and not (stop is not None and stop())
    ):
        rounds += 1
        before = watcher.plan_kpi.priority_scheduled
        cm = build_model(c, base=watcher.plan)
        add_hints(cm, watcher.plan)
        cm.model.add(cm.figures.priority <= static_bound)
        cm.model.maximize(stable_priority_first(cm.figures, cm.stable, cm.kept))
        near = _Watcher(cm, t0, watcher.best, params.progress)
        near.bound_of = lambda _: bound
        seeded = dataclasses.replace(params, seed=params.seed + rounds)
        solver = _solver(seeded, until - time.perf_counter(), c.pairs)
        code = Stopper(_or_stalled(stop, near, STALL_AGAIN_S, bound)).run(solver, cm.model, near)
        proven = code == cp_model.OPTIMAL  # the first figure first: its optimum is proven
        if near.plan is not None:
            _adopt(watcher, near.plan)
        gained += watcher.plan_kpi.priority_scheduled - before
    note = f"phase 1 stalled: re-planned near its best plan ({rounds}), priority +{gained}"
    return note, proven


def _adopt(watcher: _Watcher, plan: Plan) -> None:
    """Take `plan` (from outside the CP-SAT search) as the best when it is better."""
    c = watcher.cm.variables.candidates
    key = plan_key(c, plan, watcher.base)
    if watcher.plan_key is None or key > watcher.plan_key:
        watcher.plan, watcher.plan_kpi, watcher.plan_key = plan, plan_kpi(c, plan), key
    watcher.best = max(watcher.best, key)


def _finish(out: SearchOutcome, watcher: _Watcher, stopper: Stopper) -> SearchOutcome:
    out.plan = watcher.plan
    out.first_solution_s = watcher.first_s
    out.stopped = stopper.stopped
    return out
