"""`solve(scenario, params) -> Calendar`: candidates, greedy warm start, CP-SAT, calendar.

The steps, each timed in `Calendar.stats`:
1. prune candidate units and sites (`solver.model.candidates`);
2. a greedy calendar (`solver.greedy`): the first answer, the search's hint, the fallback;
3. the CP-SAT model (`solver.model`), searched in lexicographic phases (`solver.search`);
4. the better of the two calendars, with the status proved and reasons for the rest.

Re-planning (`SolveParams.base`, say the approved calendar): the greedy starts from the base
placements still valid, the model may keep each one (`keeps_base`), the cap keeps the base's
units, and calendars are compared by (priority_scheduled, fewest changes from the base,
nation_participations, preferred_month_hits) — see `solver.replan`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.calendar import Bound, Calendar, Kpi, Reason, ScheduledExercise, SolveStats
from solver.calendar import UnscheduledExercise as Unscheduled
from solver.greedy import Plan, fitting_plan, greedy_plan
from solver.lns import improve, must_haves_first
from solver.model.bound import nations_bound, sharp_priority_bound
from solver.model.build import build_model
from solver.model.candidates import Candidates, prepare
from solver.reasons import (
    conflict_reason,
    data_conflict_reasons,
    infeasible_reasons,
    unscheduled_reasons,
)
from solver.repair import fill, repair
from solver.replan import Base, count_changes, read_base, same_placement
from solver.scenario import Scenario
from solver.search import Progress, Stopper, plan_key, plan_kpi, plan_wishes, report, search
from solver.spread import spread_figures, spread_out
from solver.stopping import NEVER, Stopped, StopSignal, latched
from solver.travel import plan_travel_km, shorten_travel

# The data conflicts behind some reasons (`solver.diagnose`) take about 1.5-2.5 times as long
# as preparing the candidates (measured S to XL): seconds on XL. They depend on the scenario
# alone, so they are found before the search, within the time limit, and skipped when they
# would take more than this share of the time left (the reasons then name what crowds an
# exercise out).
CONFLICTS_COST_PER_PREPARE = 3.0
CONFLICTS_MAX_SHARE = 0.5
# CP-SAT's deterministic time for the bound on nation participations, and the time kept for
# it from the search of an uncapped programme (M: 0.25-0.3 s on the wall clock in all, its
# nations' own schedules included)
NATIONS_BOUND_DETERMINISTIC = 0.5
NATIONS_BOUND_RESERVE_S = 0.3
NATIONS_BOUND_RESERVE_SHARE = 0.02
# The passes after the search (`solver.spread`, then `solver.travel`) take ~0.5 s on XL,
# ~0.1 s on L and milliseconds on M: the search ends this much before the time limit to leave
# them room.
AFTER_FIGURES_RESERVE_SHARE = 0.01
AFTER_FIGURES_RESERVE_MAX_S = 2.0


@dataclass(frozen=True)
class SolveParams:
    """How long and how hard to search. The same seed with one worker gives the same calendar
    when the search ends before its time limit: on small programmes when CP-SAT proves its
    optimum, on large (capped) ones always but when the wall-clock limit cuts the neighbourhood
    search short (its steps are counted in CP-SAT's deterministic time, `solver.lns.improve`).

    `base`: re-plan from this calendar (say, the approved one) with as few changes as
    possible. Calendars are then ranked by (1) priority_scheduled, (2) fewest changed
    exercises — scheduled in the base and now at another start, site or unit set, or dropped;
    a base placement no longer valid counts as a change — (3) nation_participations,
    (4) preferred_month_hits. `Calendar.stats` then carries `changes` and `base_kept`."""

    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    progress: Callable[[Progress], None] | None = None
    should_stop: Callable[[], bool] | None = None
    cap_units: int | None = None  # None: cap only large scenarios; 0: never cap
    log: bool = False
    base: Calendar | None = None
    # large (capped) programmes: the neighbourhood search's number of steps (None: as many
    # as the time limit allows; with one worker, counted in deterministic time)
    lns_steps: int | None = None


def _keeps_must_haves(c: Candidates, plan: Plan) -> bool:
    return all(eid in plan for eid, ec in c.exercises.items() if ec.must)


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
        if placement is not None:
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
    stats.travel_km = round(plan_travel_km(c, plan), 1)
    spread = spread_figures(c, plan)
    stats.peak_exercises = spread.peak_exercises
    stats.exercise_days_by_month = spread.exercise_days_by_month
    wishes = [n.desired_exercises for n in scenario.nations if n.desired_exercises is not None]
    if wishes:
        stats.desired_exercises = sum(wishes)
        stats.desired_exercises_met = plan_wishes(c, plan)
    return Calendar(
        scenario=scenario.name,
        status=status,  # type: ignore[arg-type]
        kpi=plan_kpi(c, plan),
        bound=None if bound is None else Bound(priority_scheduled=bound),
        scheduled=scheduled,
        unscheduled=unscheduled,
        stats=stats,
    )


def _after_figures(
    c: Candidates, plan: Plan, base: Base | None, stats: SolveStats, deadline: float
) -> Plan:
    """The search's plan spread over the year (`solver.spread`: quieter days, same sites and
    units), then with nearer sites where they have room (`solver.travel`: same days and
    units), sought until `deadline` (`time.perf_counter()`): no figure changes, nor, in a
    re-plan, any placement kept from the base."""
    keep: set[str] = set()
    if base is not None:
        keep = {e for e, p in base.plan.items() if e in plan and same_placement(p, plan[e])}
    peak = spread_figures(c, plan).peak_exercises
    halfway = (time.perf_counter() + deadline) / 2  # the rest is the travel pass's
    plan, moved = spread_out(c, plan, keep, halfway)
    if moved:
        stats.phases.append(
            f"spread over the year: {moved} exercises moved to quieter days, at most "
            f"{peak} -> {spread_figures(c, plan).peak_exercises} exercises on one day"
        )
    before = plan_travel_km(c, plan)
    plan, moved = shorten_travel(c, plan, keep, deadline)
    if moved:
        saved = before - plan_travel_km(c, plan)
        stats.phases.append(
            f"shorter travel: {moved} exercises at nearer sites, {saved:.0f} km less"
        )
    return plan


def _nations_bound(
    c: Candidates,
    plan: Plan,
    proven: bool,
    impossible: Collection[str],
    cuts: tuple[tuple[str, ...], ...],
    params: SolveParams,
    stop: Callable[[], bool],
) -> int | None:
    """The most nation participations a calendar at least as good on the first figure can
    have: the plan's own when CP-SAT proved it optimal, else the relaxation's bound
    (`solver.model.bound.nations_bound`; none for a capped programme, whose model is not
    the programme's)."""
    kpi = plan_kpi(c, plan)
    if proven:
        return kpi.nation_participations
    if c.capped or stop():
        return None
    found = nations_bound(
        c, kpi.priority_scheduled, NATIONS_BOUND_DETERMINISTIC, impossible, cuts, params.seed, stop
    )
    return None if found is None else max(found, kpi.nation_participations)


def _infeasible(
    scenario: Scenario, c: Candidates, params: SolveParams, stats: SolveStats, t0: float
) -> Calendar:
    """Name a smallest set of must-haves that cannot be kept together (CP-SAT assumptions)."""
    dropped = [
        e.id
        for e in scenario.exercises
        if (e.mandatory or e.pinned is not None) and e.id not in c.exercises
    ]
    if dropped:
        reasons = infeasible_reasons(c, dropped, {})
        return _calendar(scenario, c, "infeasible", {}, None, reasons, stats)
    cm = build_model(c, must_as_assumptions=True)
    must = cm.variables.must_haves
    cm.model.add_assumptions(list(must.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = params.seed
    left = params.time_limit_s - (time.perf_counter() - t0)
    solver.parameters.max_time_in_seconds = max(0.2, min(params.time_limit_s / 4, left))
    Stopper(params.should_stop).run(solver, cm.model, None)  # stopped: all must-haves named
    indices = set(solver.sufficient_assumptions_for_infeasibility())
    core = {eid for eid, lit in must.items() if lit.index in indices} or set(must)
    culprits = [e.id for e in scenario.exercises if e.id in core]
    detail = {eid: conflict_reason(c, eid, [o for o in culprits if o != eid]) for eid in culprits}
    stats.phases.append("core of must-haves")
    reasons = infeasible_reasons(c, culprits, detail)
    return _calendar(scenario, c, "infeasible", {}, None, reasons, stats)


def _large(
    scenario: Scenario,
    c: Candidates,
    params: SolveParams,
    t0: float,
    greedy: Plan,
    static_bound: int,
    stats: SolveStats,
    base: Base | None,
    conflicts: dict[str, list[Reason]],
    deadline: float,
) -> Calendar:
    """A large (capped) programme: the greedy calendar improved neighbourhood by neighbourhood."""
    searched = improve(
        c, greedy, params, t0, params.progress, static_bound, base, hopeless=conflicts
    )
    plan = searched.plan
    stats.solve_s = time.perf_counter() - t0
    stats.phases.append(searched.note)
    stats.source = "cp-sat lns" if plan is not greedy else "greedy"
    plan = _after_figures(c, plan, base, stats, deadline)
    reasons = unscheduled_reasons(c, plan, proven=False, conflicts=conflicts)
    bound = max(static_bound, plan_kpi(c, plan).priority_scheduled)
    return _calendar(scenario, c, "feasible", plan, bound, reasons, stats)


def _early_conflicts(
    c: Candidates, left: float, stats: SolveStats, stop: Callable[[], bool]
) -> dict[str, list[Reason]]:
    """The data conflicts' reasons, if they fit in the time left (`{}` if not; those found
    so far if `stop` says stop meanwhile)."""
    if (stats.prepare_s or 0.0) * CONFLICTS_COST_PER_PREPARE > left * CONFLICTS_MAX_SHARE:
        stats.phases.append("data conflicts skipped: no time")
        return {}
    if stop():
        return {}
    return data_conflict_reasons(c, stop)


STOPPED_MESSAGE = (
    "The solve was stopped before a place was sought for it (or before one was found): it "
    "may well fit; solve again without stopping to know."
)


def _stopped(
    scenario: Scenario,
    c: Candidates | None,
    plan: Plan,
    keeps_must_haves: bool,
    bound: int | None,
    stats: SolveStats,
    step: str,
) -> Calendar:
    """The calendar of a solve stopped (`should_stop`) before its search: `plan` (the
    greedy's, perhaps partial: valid, as every plan the greedy holds) as `feasible` when it
    keeps every must-have, else an empty `unknown` calendar. Exercises the data alone rule
    out keep their reasons; the others are said to be undecided (code `stopped`)."""
    stats.stopped = True
    stats.phases.append(f"stopped {step}")
    if not keeps_must_haves:
        plan = {}
    static = {} if c is None else c.static_reasons
    reasons = {
        e.id: list(static.get(e.id) or [Reason(code="stopped", message=STOPPED_MESSAGE)])
        for e in scenario.exercises
        if e.id not in plan
    }
    if c is None:
        return Calendar(
            scenario=scenario.name,
            status="unknown",
            kpi=Kpi(),
            bound=None,
            unscheduled=[
                Unscheduled(exercise=e.id, reasons=reasons[e.id]) for e in scenario.exercises
            ],
            stats=stats,
        )
    status = "feasible" if keeps_must_haves else "unknown"
    if status == "unknown":
        bound = None
    stats.source = "greedy" if plan else "none"
    return _calendar(scenario, c, status, plan, bound, reasons, stats)


def solve(scenario: Scenario, params: SolveParams | None = None) -> Calendar:
    """Propose a calendar for `scenario`: the three figures best first, every hard rule kept
    (with `params.base`, fewest changes from the base rank second)."""
    params = params or SolveParams()
    stop: StopSignal = NEVER
    if params.should_stop is not None:
        # one latched signal for every loop and search (a cancel is never taken back)
        stop = latched(params.should_stop)
        params = dataclasses.replace(params, should_stop=stop)
    calendar = _solve(scenario, params, stop)
    if calendar.stats is not None and stop.fired:
        calendar.stats.stopped = True
    if params.base is not None and calendar.stats is not None:
        changes = count_changes(params.base, calendar)
        calendar.stats.changes = changes  # type: ignore[attr-defined]  # extra field
        base_size = len({x.exercise for x in params.base.scheduled})
        calendar.stats.base_kept = base_size - changes  # type: ignore[attr-defined]
    return calendar


def _solve(scenario: Scenario, params: SolveParams, stop: StopSignal) -> Calendar:
    t0 = time.perf_counter()

    def elapsed() -> float:
        return time.perf_counter() - t0

    stats = SolveStats(workers=params.workers, seed=params.seed)
    keep_units = None
    if params.base is not None:
        keep_units = {x.exercise: set(x.units) for x in params.base.scheduled}
    try:
        c = prepare(scenario, params.cap_units, keep_units, stop)
    except Stopped:
        stats.prepare_s = stats.solve_s = elapsed()
        return _stopped(scenario, None, {}, False, None, stats, "while preparing")
    base = None if params.base is None else read_base(c, params.base)
    stats.prepare_s = elapsed()
    stats.candidate_pairs = c.pairs
    stats.capped = c.capped
    if any((e.mandatory or e.pinned) and e.id not in c.exercises for e in scenario.exercises):
        stats.solve_s = elapsed()
        return _infeasible(scenario, c, params, stats, t0)

    greedy = greedy_plan(c, None, stop)
    greedy_ok = _keeps_must_haves(c, greedy)
    if base is not None and not stop():
        from_base = greedy_plan(c, fitting_plan(c, base.plan), stop)
        if _keeps_must_haves(c, from_base) or not greedy_ok:
            greedy, greedy_ok = from_base, _keeps_must_haves(c, from_base)
        stats.phases.append("greedy from the base")
    if not greedy_ok and c.capped and not stop():
        musts = must_haves_first(c, params, (params.time_limit_s - elapsed()) / 3)
        stats.phases.append("must-haves by CP-SAT")
        if musts is not None and not stop():
            if base is not None:  # then as much of the base as fits around them
                with_base = fitting_plan(c, {**base.plan, **musts})
                if all(eid in with_base for eid in musts):
                    musts = with_base
            greedy = greedy_plan(c, musts, stop)
            greedy_ok = _keeps_must_haves(c, greedy)
    greedy_kpi = plan_kpi(c, greedy)
    stats.greedy_s = elapsed()
    stats.greedy_kpi = greedy_kpi
    stats.phases.append("greedy")
    static_bound = sum(ec.exercise.priority for ec in c.exercises.values())
    if stop():  # the greedy (perhaps cut short) is all there is
        stats.solve_s = elapsed()
        return _stopped(scenario, c, greedy, greedy_ok, static_bound, stats, "during the greedy")
    if greedy_ok:
        stats.first_solution_s = stats.greedy_s
        report(params.progress, c, greedy, static_bound, t0, "greedy", base)

    conflicts = _early_conflicts(c, params.time_limit_s - elapsed(), stats, stop)
    clashes: tuple[tuple[str, ...], ...] = ()  # proven by the bound's cuts
    wanted: tuple[str, ...] = ()  # the exercises of the relaxation's optimum
    if greedy_ok and not stop():
        # a sharper bound than the plain sum, from a relaxation and the exercises the data
        # conflicts rule out (the only one a capped run has: its model proves nothing)
        relaxed = sharp_priority_bound(c, params.time_limit_s, params.seed, stop, set(conflicts))
        clashes = relaxed.cuts
        wanted = relaxed.chosen
        if relaxed.value is not None and relaxed.value < static_bound:
            static_bound = max(relaxed.value, greedy_kpi.priority_scheduled)
            cuts = f" ({len(relaxed.cuts)} cuts)" if relaxed.cuts else ""
            stats.phases.append(f"bound from the relaxation: {static_bound}{cuts}")
    # the search ends a moment early, leaving that moment to the nations bound and to the spread
    # and travel passes
    deadline = t0 + params.time_limit_s
    reserve = min(AFTER_FIGURES_RESERVE_MAX_S, AFTER_FIGURES_RESERVE_SHARE * params.time_limit_s)
    if not c.capped:
        reserve += min(NATIONS_BOUND_RESERVE_S, NATIONS_BOUND_RESERVE_SHARE * params.time_limit_s)
    params = dataclasses.replace(params, time_limit_s=params.time_limit_s - reserve)
    if c.capped and greedy_ok:
        return _large(
            scenario, c, params, t0, greedy, static_bound, stats, base, conflicts, deadline
        )

    cm = build_model(c, base=None if base is None else base.plan)
    stats.build_s = elapsed()
    hint_kpi = greedy_kpi if greedy_ok else None

    def refine(plan: Plan, until_s: float, bound: int) -> tuple[Plan, str]:
        within = dataclasses.replace(params, time_limit_s=until_s)
        budget = until_s - elapsed()
        searched = improve(
            c,
            plan,
            within,
            t0,
            params.progress,
            bound,
            base,
            priority_first=False,
            budget_s=budget,
            hopeless=conflicts,
        )
        return searched.plan, searched.note

    def repair_stalled(plan: Plan, until: float, bound: int) -> tuple[Plan, str]:
        before = plan_kpi(c, plan).priority_scheduled
        filled = fill(c, plan, wanted, params, t0, until, bound, params.progress)
        if filled is None:
            note = "the relaxation's set not filled in"
        elif plan_kpi(c, filled).priority_scheduled < bound:
            plan, note = filled, "the relaxation's set filled in but for what fell short"
        else:
            plan, note = filled, "the relaxation's set filled in"
        if plan_kpi(c, plan).priority_scheduled < bound:
            plan, rounds = repair(c, plan, wanted, params, t0, until, bound, params.progress)
            note += f", {rounds} repairs"
        gained = plan_kpi(c, plan).priority_scheduled - before
        return plan, f"phase 1 stalled: {note}, priority +{gained}"

    found = search(cm, greedy, hint_kpi, params, t0, static_bound, base, refine, repair_stalled)
    stats.solve_s = elapsed()
    stats.phases += found.statuses
    stats.cp_sat_status = found.statuses[-1] if found.statuses else None
    if stats.first_solution_s is None:
        stats.first_solution_s = found.first_solution_s
    if found.infeasible and not c.capped_must_haves:
        return _infeasible(scenario, c, params, stats, t0)

    plan, source = (greedy, "greedy") if greedy_ok else (None, "none")
    if found.plan is not None and (
        plan is None or plan_key(c, found.plan, base) >= plan_key(c, greedy, base)
    ):
        plan, source = found.plan, "cp-sat"
    stats.source = source
    if plan is None:
        message = "No calendar keeping every mandatory and pinned exercise was found in time."
        if found.infeasible:
            message = (
                "No calendar keeping every mandatory and pinned exercise was found among the "
                "units considered for each (the best-fitting few of a large programme)."
            )
        reasons = {e.id: [Reason(code="not_decided", message=message)] for e in scenario.exercises}
        return _calendar(scenario, c, "unknown", {}, None, reasons, stats)

    proven = found.priority_proven and found.rest_proven and not c.capped
    stats.nations_bound = _nations_bound(
        c, plan, proven and base is None, conflicts, clashes, params, stop
    )
    plan = _after_figures(c, plan, base, stats, deadline)
    kpi = plan_kpi(c, plan)
    bound = static_bound if c.capped or found.bound is None else found.bound
    bound = max(bound, kpi.priority_scheduled)
    reasons = unscheduled_reasons(c, plan, proven, conflicts, clashes)
    return _calendar(scenario, c, "optimal" if proven else "feasible", plan, bound, reasons, stats)


__all__ = ["Progress", "SolveParams", "plan_kpi", "solve"]
