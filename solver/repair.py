"""Repairs of a stalled first figure: bring in the exercises the plan lacks.

First the fill (`fill`): the relaxation's optimal set of exercises (`RelaxedBound.chosen`),
all of it scheduled in a model where requirements may fall short, the shortfall minimised
from the stalled plan; a plan with none keeps every rule and reaches the bound. When it
finds none in its time, the repairs below.

A whole-model search of a mid-sized programme often stalls one exercise short of the proven
bound (M/2: plans of the relaxation's optimal set but one, `solver.model.bound`). What keeps
that exercise out is either near it in time (the units and sites of the exercises around
its dates) or anywhere in the year (its nations are at their `max_exercises` or budget, so
some other exercise must swap their units for another nation's). Each repair is a short
CP-SAT search of one of three neighbourhoods around a missing exercise:

0. the missing exercise free; every placed exercise held at its start and site, its units
   free among the candidates available then (nations' limits rebalanced over the year);
1. as 0, with the placed exercises holding its units or sites within `REACH_DAYS` of its
   window free as well;
2. the missing exercise and those within `2 * REACH_DAYS` free, the others held as they are
   (`solver.lns.neighbourhood`).

They take turns (`KINDS`), each with its own seed and a target drawn by priority among the
missing exercises, until the plan reaches the bound, time is up, or `REPAIR_MAX_IDLE`
repairs in a row gain nothing. M/2 at 30 s, paired solver seeds: the first figure's optimum
(2140) in 23 runs of 30 against 17 of 30 with the re-plans alone (bench/RESULTS.md, session
13).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection

from ortools.sat.python import cp_model

from solver.greedy import Plan, team_meets
from solver.lns import drop_orphans, holders, near_placements, neighbourhood
from solver.model.build import build_model
from solver.model.candidates import Candidates
from solver.search import Progress, Stopper, add_hints, plan_key, plan_kpi, read_plan, report

# `fill`: CP-SAT's time to bring the relaxation's set in, shortfalls allowed (M/2: 0.7-8 s
# from stalled plans, 2032-2130; 4 s left 2 of 3 short, session 17)
FILL_S = 10.0
# the fill by CP-SAT's neighbourhood workers alone (`use_lns_only`): a plan comes at once
# (the feasibility jump's), the proven bound (no shortfall) is known, and the full search
# worker only takes time from the neighbourhoods. A slow machine (a Python loop of 10^7
# additions 1.8 s), three stalled M/2 plans (1804, 1919, 1999), 3 seeds each: filled in
# 8.6-13.6, 7.8-9.8 and 4.0-8.8 s against 14.5-18.5, 20.4-30 (one not in 30 s) and
# 12.0-15.2 s; full solves at 30 s, 10 paired solver seeds: 2140 in 7 against 2, 8 runs
# better, 2 the same (bench/RESULTS.md, session 21)
FILL_LNS_ONLY = True
# a fill whose time runs out with exercises still short gives its plan without them (and
# without those after them) when that is better than the plan it began from: the repairs go
# on from there, not from the stalled plan. The slow machine, M/2 at 30 s, 8 paired solver
# seeds: 2140 in 7 against 4 (each of the 4 runs the fill left short reached 2140 or 2120
# instead of 2081-2119; bench/RESULTS.md, session 21)
FILL_KEEPS_PARTIAL = True
REPAIR_STEP_S = 1.5  # CP-SAT's time for one repair (2 workers: it ends early once proven)
REACH_DAYS = 30
REPAIR_MIN_S = 0.3  # no repair for less time than this
REPAIR_MAX_IDLE = 8  # repairs in a row without a better plan: the stalled re-plan's turn
# the neighbourhoods' turns: the whole year's units free at their dates, twice as often as
# the others (M/2, 2140: in a stalled run, 3 of 4 gains came from kind 0)
KINDS = (0, 2, 0, 1)


class _Reached(cp_model.CpSolverSolutionCallback):
    """Stops the search once a plan reaches the bound."""

    def __init__(self, bound: int):
        super().__init__()
        self.bound = bound

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.bound - 1e-6:
            self.stop_search()


def repair(
    c: Candidates,
    plan: Plan,
    wanted: Collection[str],
    params,
    t0: float,
    until: float,
    bound: int,
    on_progress: Callable[[Progress], None] | None,
) -> tuple[Plan, int]:
    """Repairs of `plan` (see the module) until `until` (a `perf_counter` time), the plan
    reaches `bound`, `REPAIR_MAX_IDLE` repairs in a row gain nothing, or `params.should_stop`
    says stop; the best plan and the repairs made. `wanted`: the exercises to bring in (the
    relaxation's optimum, `RelaxedBound.chosen`); when the plan has them all, or none is
    given, any unscheduled exercise whose priority fits under the bound."""
    rnd = random.Random(params.seed)
    best_key = plan_key(c, plan)
    rounds = idle = 0
    stopper = Stopper(params.should_stop)
    while (
        idle < REPAIR_MAX_IDLE
        and until - time.perf_counter() > REPAIR_MIN_S
        and not stopper.asked()
    ):
        gap = bound - plan_kpi(c, plan).priority_scheduled
        missing = [e for e in wanted if e in c.exercises and e not in plan]
        if not missing:
            missing = [
                e for e, ec in c.exercises.items() if e not in plan and ec.exercise.priority <= gap
            ]
        if gap <= 0 or not missing:
            break
        target = rnd.choices(missing, [c.exercises[e].exercise.priority for e in missing])[0]
        kind = KINDS[rounds % len(KINDS)]
        rounds += 1
        idle += 1
        sub, held = _neighbourhood(c, plan, kind, target)
        if target not in sub.exercises or any(
            e not in sub.exercises for e in plan if e not in held
        ):
            continue  # the target cannot come in there (nor may a placed one go out)
        cm = build_model(sub)
        add_hints(cm, {e: p for e, p in plan.items() if e in sub.exercises})
        reach = bound - sum(c.exercises[e].exercise.priority for e in held)
        cm.model.add(cm.figures.priority <= reach)
        cm.model.maximize(cm.figures.priority)
        seconds = min(REPAIR_STEP_S, until - time.perf_counter())
        solver = _solver(params, params.seed + rounds, seconds)
        code = stopper.run(solver, cm.model, _Reached(reach))
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        better = {**held, **read_plan(cm, solver.value)}
        key = plan_key(c, better)
        if key <= best_key:
            continue
        plan, best_key, idle = better, key, 0
        report(on_progress, c, plan, bound, t0, "cp-sat repair")
    return plan, rounds


def fill(
    c: Candidates,
    plan: Plan,
    wanted: Collection[str],
    params,
    t0: float,
    until: float,
    bound: int,
    on_progress: Callable[[Progress], None] | None,
) -> Plan | None:
    """The relaxation's set `wanted` (`RelaxedBound.chosen`) scheduled, nothing else, from
    `plan`: a plan that schedules it all; if none is found within `FILL_S` (or by `until`, a
    `perf_counter` time), the best plan found less what still falls short
    (`without_shortfalls`) when it is better than `plan` (`FILL_KEEPS_PARTIAL`); else None.

    The model (`build_model(shortfalls=True)`) schedules every exercise of the set and lets
    rules 4 and 6 fall short: an exercise may lack some of the units or nations it needs,
    and CP-SAT minimises the total shortfall, from `plan` as a hint. A stalled plan lacks
    one exercise or two; the whole model, searching plans that keep every rule, meets a
    wall there (each exercise brought in takes units another one holds), where this one
    moves by steps (a unit short, then none). A plan with no shortfall keeps every rule.
    M/2: every stalled plan of 4 (2104-2125) filled to 2140 in 0.4-2.4 s, where the whole
    model found nothing in the rest of its 15 s (bench/RESULTS.md, session 17)."""
    members = [e for e in wanted if e in c.exercises]
    reach = sum(c.exercises[e].exercise.priority for e in members)
    seconds = min(FILL_S, until - time.perf_counter())
    if reach <= plan_kpi(c, plan).priority_scheduled or seconds < REPAIR_MIN_S:
        return None
    cm = build_model(c, shortfalls=True)
    v = cm.variables
    keep = set(members)
    for eid, scheduled in v.scheduled.items():
        cm.model.add(scheduled == (eid in keep))
    add_hints(cm, plan)
    shortfalls = v.shortfalls or []
    cm.model.minimize(sum(shortfalls))
    solver = _solver(params, params.seed, seconds)
    solver.parameters.use_lns_only = FILL_LNS_ONLY
    code = Stopper(params.should_stop).run(solver, cm.model, _Filled())
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    filled = read_plan(cm, solver.value)
    if solver.objective_value > 0.5:  # some still short: the plan without them, if better
        if not FILL_KEEPS_PARTIAL:
            return None
        filled = without_shortfalls(c, filled)
        musts = all(eid in filled for eid, ec in c.exercises.items() if ec.must)
        if not musts or plan_key(c, filled) <= plan_key(c, plan):
            return None
    report(on_progress, c, filled, bound, t0, "cp-sat fill")
    return filled


def without_shortfalls(c: Candidates, plan: Plan) -> Plan:
    """`plan` less every exercise short of the units (rule 4) or nations (rule 6) it needs,
    and less every exercise `after` one left out (rule 8): what the fill's model relaxes.
    Leaving an exercise out frees its units, its site and its nations' counts and budgets,
    so the rest keeps every rule."""
    out = {
        eid: p
        for eid, p in plan.items()
        if team_meets(c.exercises[eid].exercise, [c.units[u] for u in p.units], at_most=False)
    }
    drop_orphans(out, c.exercises)
    return out


def _solver(params, seed: int, seconds: float) -> cp_model.CpSolver:
    """CP-SAT for a repair or the fill: all the workers given, no probing in presolve."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.max_time_in_seconds = seconds
    return solver


class _Filled(cp_model.CpSolverSolutionCallback):
    """Stops the search once a plan has no shortfall."""

    def on_solution_callback(self) -> None:
        if self.objective_value < 0.5:
            self.stop_search()


def _neighbourhood(c: Candidates, plan: Plan, kind: int, target: str) -> tuple[Candidates, Plan]:
    """The candidates of a repair of kind 0, 1 or 2 (see the module), and the placements it
    holds as fixed facts."""
    if kind == 2:
        chosen = [target, *holders(c, plan, target, 2 * REACH_DAYS, 2 * REACH_DAYS)]
        held = {e: p for e, p in plan.items() if e not in chosen}
        return neighbourhood(c, chosen, held), held
    free = {target}
    if kind == 1:
        free.update(holders(c, plan, target, REACH_DAYS, REACH_DAYS))
    held = {e: p for e, p in plan.items() if e not in free}
    return near_placements(neighbourhood(c, [*plan, target], {}), held, 0), {}
