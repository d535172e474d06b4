"""`solve(scenario, params) -> Calendar`: candidates, greedy warm start, CP-SAT, calendar.

The steps, each timed in `Calendar.stats`:
1. prune candidate units and sites (`solver.model.candidates`);
2. a greedy calendar (`solver.greedy`): the first answer, the search's hint, the fallback;
3. the CP-SAT model (`solver.model`), solved with the three figures lexicographically;
4. the better of the two calendars, with the status proved and reasons for the rest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.calendar import Bound, Calendar, Kpi, Reason, ScheduledExercise, SolveStats
from solver.calendar import UnscheduledExercise as Unscheduled
from solver.greedy import Placement, Plan, greedy_plan
from solver.model.build import CalendarModel, build_model
from solver.model.candidates import Candidates, prepare
from solver.reasons import conflict_reason, infeasible_reasons, unscheduled_reasons
from solver.scenario import Scenario


@dataclass(frozen=True)
class Progress:
    """An improving calendar's figures, the best proven bound, seconds since the call."""

    kpi: Kpi
    bound: int | None
    elapsed_s: float
    source: str  # "greedy" or "cp-sat"


@dataclass(frozen=True)
class SolveParams:
    """How long and how hard to search. Same seed with one worker => same calendar."""

    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    progress: Callable[[Progress], None] | None = None
    should_stop: Callable[[], bool] | None = None
    cap_units: int | None = None  # None: cap only large scenarios; 0: never cap
    log: bool = False


def plan_kpi(c: Candidates, plan: Plan) -> Kpi:
    priority = nations = preferred = 0
    for eid, placement in plan.items():
        e = c.exercises[eid].exercise
        priority += e.priority
        nations += len({c.units[u].nation for u in placement.units})
        if e.preferred_months and c.date(placement.start).month in e.preferred_months:
            preferred += 1
    return Kpi(
        priority_scheduled=priority, nation_participations=nations, preferred_month_hits=preferred
    )


def _keeps_must_haves(c: Candidates, plan: Plan) -> bool:
    return all(eid in plan for eid, ec in c.exercises.items() if ec.must)


def _read_plan(cm: CalendarModel, value: Callable) -> Plan:
    v = cm.variables
    plan: Plan = {}
    for eid, ec in v.candidates.exercises.items():
        if not value(v.scheduled[eid]):
            continue
        site = next(sid for sid in ec.sites if value(v.site[eid, sid]))
        units = tuple(uid for uid in ec.units if value(v.assign[uid, eid]))
        plan[eid] = Placement(int(value(v.start[eid])), site, units)
    return plan


def _add_hints(cm: CalendarModel, plan: Plan) -> None:
    v = cm.variables
    model = cm.model
    c = v.candidates
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
        nations = {c.units[u].nation for u in chosen}
        for code, other in v.takes_part:
            if other == eid:
                model.add_hint(v.takes_part[code, eid], code in nations)
        model.add_hint(v.personnel[eid], sum(c.units[u].personnel for u in chosen))
        if eid in v.preferred:
            months = ec.exercise.preferred_months or []
            model.add_hint(
                v.preferred[eid], placement is not None and c.date(start).month in months
            )


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving CP-SAT solution and keeps the best plan seen."""

    def __init__(self, cm: CalendarModel, t0: float, best: Kpi, on_progress, bound_of):
        super().__init__()
        self.cm = cm
        self.t0 = t0
        self.best = best
        self.on_progress = on_progress
        self.bound_of = bound_of
        self.first_s: float | None = None
        self.plan: Plan | None = None

    def on_solution_callback(self) -> None:
        if self.first_s is None:
            self.first_s = time.perf_counter() - self.t0
        plan = _read_plan(self.cm, self.boolean_or_int)
        kpi = plan_kpi(self.cm.variables.candidates, plan)
        if (
            self.plan is None
            or kpi.as_tuple() > plan_kpi(self.cm.variables.candidates, self.plan).as_tuple()
        ):
            self.plan = plan
        if kpi.as_tuple() > self.best.as_tuple():
            self.best = kpi
            if self.on_progress is not None:
                bound = self.bound_of(self.best_objective_bound)
                self.on_progress(Progress(kpi, bound, time.perf_counter() - self.t0, "cp-sat"))

    def boolean_or_int(self, var) -> int:
        return self.value(var)


def _static_bound(c: Candidates) -> int:
    return sum(ec.exercise.priority for ec in c.exercises.values())


def _stopper(solver: cp_model.CpSolver, should_stop, done: threading.Event) -> threading.Thread:
    def watch() -> None:
        while not done.wait(0.05):
            if should_stop():
                solver.stop_search()
                return

    thread = threading.Thread(target=watch, name="pfp-solve-stop", daemon=True)
    thread.start()
    return thread


def _calendar(
    scenario: Scenario,
    c: Candidates,
    status: str,
    plan: Plan,
    bound: int | None,
    reasons: dict[str, list[Reason]],
    stats: SolveStats,
) -> Calendar:
    scheduled = []
    for e in scenario.exercises:
        placement = plan.get(e.id)
        if placement is None:
            continue
        scheduled.append(
            ScheduledExercise(
                exercise=e.id,
                start=c.date(placement.start),
                end=c.date(placement.start + e.duration_days - 1),
                site=placement.site,
                units=list(placement.units),
            )
        )
    unscheduled = [
        Unscheduled(exercise=e.id, reasons=reasons[e.id])
        for e in scenario.exercises
        if e.id not in plan
    ]
    return Calendar(
        scenario=scenario.name,
        status=status,  # type: ignore[arg-type]
        kpi=plan_kpi(c, plan),
        bound=None if bound is None else Bound(priority_scheduled=bound),
        scheduled=scheduled,
        unscheduled=unscheduled,
        stats=stats,
    )


def _infeasible(
    scenario: Scenario, c: Candidates, params: SolveParams, stats: SolveStats
) -> Calendar:
    """Name a smallest set of must-haves that cannot be kept together (CP-SAT assumptions)."""
    dropped = [
        e.id for e in scenario.exercises if (e.mandatory or e.pinned) and e.id not in c.exercises
    ]
    if dropped:
        return _calendar(
            scenario, c, "infeasible", {}, None, infeasible_reasons(c, dropped, {}), stats
        )
    cm = build_model(c, must_as_assumptions=True)
    must = cm.variables.must_haves
    cm.model.add_assumptions(list(must.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = params.seed
    solver.parameters.max_time_in_seconds = max(1.0, params.time_limit_s / 4)
    solver.solve(cm.model)
    indices = set(solver.sufficient_assumptions_for_infeasibility())
    by_index = {lit.index: eid for eid, lit in must.items()}
    culprits = [by_index[i] for i in indices if i in by_index] or list(must)
    culprits = [e.id for e in scenario.exercises if e.id in culprits]
    detail = {eid: conflict_reason(c, eid, [o for o in culprits if o != eid]) for eid in culprits}
    stats.phases.append("core of must-haves")
    return _calendar(
        scenario, c, "infeasible", {}, None, infeasible_reasons(c, culprits, detail), stats
    )


def solve(scenario: Scenario, params: SolveParams | None = None) -> Calendar:
    """Propose a calendar for `scenario`: the three figures best first, every hard rule kept."""
    params = params or SolveParams()
    t0 = time.perf_counter()

    def elapsed() -> float:
        return time.perf_counter() - t0

    stats = SolveStats(workers=params.workers, seed=params.seed)
    c = prepare(scenario, params.cap_units)
    stats.prepare_s = elapsed()
    stats.candidate_pairs = c.pairs
    stats.capped = c.capped
    if any((e.mandatory or e.pinned) and e.id not in c.exercises for e in scenario.exercises):
        stats.solve_s = elapsed()
        return _infeasible(scenario, c, params, stats)

    greedy = greedy_plan(c)
    greedy_ok = _keeps_must_haves(c, greedy)
    greedy_kpi = plan_kpi(c, greedy)
    stats.greedy_s = elapsed()
    stats.greedy_kpi = greedy_kpi
    stats.phases.append("greedy")
    static_bound = _static_bound(c)
    if greedy_ok:
        stats.first_solution_s = stats.greedy_s
        if params.progress is not None:
            params.progress(Progress(greedy_kpi, static_bound, elapsed(), "greedy"))

    cm = build_model(c)
    _add_hints(cm, greedy)
    stats.build_s = elapsed()
    weight = cm.weights.priority

    def bound_of(objective_bound: float) -> int:
        if c.capped:
            return static_bound
        return min(static_bound, int((objective_bound + 1e-6) // weight))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    solver.parameters.max_time_in_seconds = max(0.05, params.time_limit_s - elapsed())
    solver.parameters.log_search_progress = params.log
    watcher = _Watcher(
        cm, t0, greedy_kpi if greedy_ok else Kpi(priority_scheduled=-1), params.progress, bound_of
    )
    done = threading.Event()
    stopper = _stopper(solver, params.should_stop, done) if params.should_stop else None
    if params.should_stop is not None and params.should_stop():
        code = cp_model.UNKNOWN
    else:
        stats.phases.append("cp-sat lexicographic")
        code = solver.solve(cm.model, watcher)
    done.set()
    if stopper is not None:
        stopper.join()
    stats.solve_s = elapsed()
    stats.cp_sat_status = solver.status_name(code)
    if watcher.first_s is not None and stats.first_solution_s is None:
        stats.first_solution_s = watcher.first_s

    if code == cp_model.INFEASIBLE:
        return _infeasible(scenario, c, params, stats)

    plan, source = (greedy, "greedy") if greedy_ok else (None, "none")
    if watcher.plan is not None and (
        plan is None or plan_kpi(c, watcher.plan).as_tuple() >= greedy_kpi.as_tuple()
    ):
        plan, source = watcher.plan, "cp-sat"
    stats.source = source
    if plan is None:
        reasons = {
            e.id: [
                Reason(code="not_decided", message="No calendar was found within the time limit.")
            ]
            for e in scenario.exercises
        }
        return _calendar(scenario, c, "unknown", {}, None, reasons, stats)

    proven = code == cp_model.OPTIMAL and source == "cp-sat" and not c.capped
    if proven:
        bound = plan_kpi(c, plan).priority_scheduled
    elif code == cp_model.FEASIBLE or code == cp_model.OPTIMAL:
        bound = bound_of(solver.best_objective_bound)
    else:
        bound = static_bound
    bound = max(bound, plan_kpi(c, plan).priority_scheduled)
    status = "optimal" if proven else "feasible"
    reasons = unscheduled_reasons(c, plan, proven)
    return _calendar(scenario, c, status, plan, bound, reasons, stats)


__all__ = ["Progress", "SolveParams", "plan_kpi", "solve"]
