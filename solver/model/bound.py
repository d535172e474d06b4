"""An upper bound on `priority_scheduled` for large (capped) programmes, from a relaxation.

The capped model proves nothing about the whole programme, and the plain bound (the sum of
the priorities of the exercises that have candidates) ignores every limit. This module
builds a much smaller model that every calendar of the *uncapped* programme satisfies, and
lets CP-SAT bound its optimum for a moment: whatever CP-SAT proves about the relaxation
(`best_objective_bound`, proven even when the search is cut short) is a bound on the real
optimum.

Variables: `x[e]` (exercise e is scheduled), for each exercise that has candidates, and
`y[n, e]` (nation n takes part in e) for each nation with a limit (`max_exercises` or
`budget_person_days`) that has a candidate unit for e. Every constraint below holds for every
valid calendar, read as x[e] = "e is scheduled" and y[n, e] = "a unit of n is assigned to e"
(so the relaxation's optimum is at least the real optimum):

0. *Never fits*: x[e] = 0 for an exercise a data conflict of severity error rules out
   (`solver.diagnose`: what no calendar can do, whatever else is scheduled; given by the
   caller, who has them already).
1. *Must-haves*: x[e] = 1 for mandatory and pinned exercises (rule 9).
2. *After*: x[e] <= x[p] for each predecessor p (rule 8).
3. *Nations per exercise*: sum over limited n of y[n, e] + (nations without limits that
   have a candidate unit for e) >= min_nations(e) * x[e]; and y[n, e] <= x[e]. The assigned
   units of a scheduled exercise are candidates (available, of a required capability) from
   at least min_nations nations (rule 6); those not counted by a y are among the unlimited.
4. *Nation pace*: sum over e of y[n, e] <= max_exercises(n) (rule 7).
5. *Nation budget*: sum over e of cost(n, e) * y[n, e] <= budget_person_days(n), with
   cost(n, e) the least personnel x duration of n's candidate units for e: a nation taking
   part has at least one unit there, which spends at least that (rule 7).
6. *Units of a capability*: for each capability k, sum over e of units_k(e) * x[e] <=
   sum over units u of k of most(u), where most(u) = min(max_exercises(u), the exercises u is
   a candidate for, available(u) // shortest(u), (span(u) + rest(u)) // (shortest(u) +
   rest(u))), with shortest(u) the shortest of its candidate exercises and span(u) the days
   from its first available day to its last. Each requirement takes at least `units`
   distinct units of its capability, a unit has one capability (so no unit counts twice
   within an exercise), and n exercises of a unit take n * shortest available days or more
   and, with rest days between them (which need not be available days), span n * shortest
   + (n - 1) * rest days or more (rules 4, 5).
7. *Unit-days of a capability*: sum over e of units_k(e) * duration(e) * x[e] <= sum over
   units u of k of their available days: a unit's exercises never overlap and lie on
   available days (rule 5).
8. *Site-days*: for each distinct set S of eligible sites, sum over the exercises whose
   eligible sites all lie in S of duration(e) * x[e] <= sum over s in S of concurrent(s) x
   available days of s: each of those exercises occupies one of S's sites on every one of its
   days, and a site hosts at most `concurrent` exercises a day (rule 3).
9. *Units of a capability in a time window*: 6 again, for a window of days T, over the
   exercises whose every possible day lies in T, with the units' available days counted
   within T, the span being T's length and shortest the shortest of those exercises: the
   units' exercises among them lie within T.
10. *Unit-days of a capability in a time window*: 7 likewise.

The bound on nation participations (`nations_bound`) is this relaxation with `y[n, e]` for
every nation that has a candidate unit for e, the first figure held at `priority` or more
(sum of priority(e) * x[e] >= priority), its nations maximised, and three more constraints
that every calendar keeps:

11. *Places*: sum over n of y[n, e] <= the sum of the requirements' `max_units`: every
    nation taking part has a unit there, a unit counts once (rule 4).
12. *Personnel*: sum over n of least(n, e) * y[n, e] <= max_personnel(e), with least(n, e)
    the fewest personnel of n's candidate units for e (rule 6).
13. *A nation's units*: 6 and 7 summed by nation rather than capability: a nation taking
    part in e assigns one of its units to e.
14. *A nation's units in time*: sum over e of y[n, e] <= reach(n), the most exercises n's
    units alone could take part in (`nation_reach`, uncapped programmes only): its own small
    schedule, with a start for each exercise among its starts, n's candidate units available
    from it, a unit never in two exercises at once nor within its rest days (an interval of
    duration + rest days per assignment, no two of a unit's overlapping), units' and n's
    `max_exercises`. A calendar's dates and n's units in it are such a schedule (rules 4, 5,
    7). It is where the days enter: M/2's nations without a limit (AZ, EE, GE, UA) could take
    part in 21, 12, 27 and 31 exercises at most, where 13 allowed far more.

It shows how far the nations figure could still go: M/1 311 against 307 found; M/2 242
against 220 (258 without 14). It does not tie the nations' schedules to one date per
exercise, which is where M/2's gap is left.

Candidates, nations' costs and units' reach are read before the cap (`prepare` keeps them),
so the relaxation is about the whole programme, not the capped model.

Cuts (`sharp_priority_bound`, uncapped programmes only): when the exercises the relaxation's
optimum schedules are proven unable to take place together in the full calendar model
(CP-SAT, with `scheduled[e]` assumed for each, answers INFEASIBLE), a minimal such set C is
found and the relaxation gets sum over C of x[e] <= |C| - 1, which every calendar keeps
(none schedules all of C). A capped model leaves units out, so a clash there proves nothing
about the programme: capped programmes get no cuts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model import days as d
from solver.model.build import build_model
from solver.model.candidates import Candidates
from solver.model.variables import domain
from solver.scenario import Unit
from solver.search import Stopper

BOUND_SECONDS_SHARE = 0.05  # of the time limit, for CP-SAT on the relaxation
BOUND_MAX_SECONDS = 3.0
BOUND_MIN_SECONDS = 0.2
# the cuts (`_Cuts`): a check's deterministic time (CP-SAT's presolve proves the clashes
# that matter in no deterministic time at all), and how far the sharpening may go
CUT_CHECK_DETERMINISTIC = 0.002
CUT_MAX_CHECKS = 200
CUT_MAX_CUTS = 20
CUT_SECONDS_SHARE = 0.1  # of the time limit
CUT_MAX_SECONDS = 5.0
# constraint 14: CP-SAT's deterministic time for one nation's schedule (`nation_reach`; most
# prove their optimum at once: M/2's 27 nations take 0.2 s in all on the wall clock)
NATION_REACH_DETERMINISTIC = 0.05
WINDOW_DAYS = (30, 91)
WINDOW_STEP_DAYS = 15


def relaxation(
    c: Candidates, impossible: Collection[str] = ()
) -> tuple[cp_model.CpModel, dict[str, cp_model.IntVar]]:
    """The relaxation's model (objective set) and its `x[e]` variables; `impossible`:
    exercises known never to fit (the data conflicts' errors, `solver.diagnose`)."""
    model, x, _ = _relaxation(c, impossible, every_nation=False)
    return model, x


def _relaxation(
    c: Candidates, impossible: Collection[str], every_nation: bool
) -> tuple[cp_model.CpModel, dict[str, cp_model.IntVar], dict[tuple[str, str], cp_model.IntVar]]:
    """`relaxation`, and its `y[n, e]` variables by (nation, exercise): for the nations with
    a limit, or (`every_nation`) for every nation with a candidate unit."""
    model = cp_model.CpModel()
    x = {eid: model.new_bool_var(f"scheduled[exercise={eid}]") for eid in c.exercises}
    for eid in impossible:
        if eid in x:
            model.add(x[eid] == 0)  # 0
    limited = {
        code
        for code, n in c.nations.items()
        if every_nation or n.max_exercises is not None or n.budget_person_days is not None
    }
    takes_part: dict[str, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    y_of: dict[tuple[str, str], cp_model.IntVar] = {}
    for eid, ec in c.exercises.items():
        e = ec.exercise
        if ec.must:
            model.add(x[eid] == 1)  # 1
        for link in e.after:
            if link.exercise in x:
                model.add_implication(x[eid], x[link.exercise])  # 2
            else:
                model.add(x[eid] == 0)
        costs = ec.nation_costs
        free = sum(1 for code in costs if code not in limited)
        ys = []
        for code in sorted(costs):
            if code in limited:
                y = model.new_bool_var(f"takes_part[nation={code}, exercise={eid}]")
                model.add_implication(y, x[eid])
                takes_part[code].append((y, costs[code]))
                y_of[code, eid] = y
                ys.append(y)
        if e.min_nations > free:
            model.add(sum(ys) + free >= e.min_nations * x[eid])  # 3
    for code, items in sorted(takes_part.items()):
        n = c.nations[code]
        if n.max_exercises is not None:
            model.add(sum(y for y, _ in items) <= n.max_exercises)  # 4
        if n.budget_person_days is not None:
            model.add(sum(cost * y for y, cost in items) <= n.budget_person_days)  # 5
    for capability, (most, days) in sorted(_unit_supply(c).items()):
        asked = [
            (req.units, ec.duration, x[eid])
            for eid, ec in c.exercises.items()
            for req in ec.exercise.requirements
            if req.capability == capability
        ]
        if sum(k for k, _, _ in asked) > most:
            model.add(sum(k * v for k, _, v in asked) <= most)  # 6
        if sum(k * t for k, t, _ in asked) > days:
            model.add(sum(k * t * v for k, t, v in asked) <= days)  # 7
    _windowed_units(c, model, x)
    for sites, room in _site_room(c).items():
        inside = [
            (ec.duration, x[eid]) for eid, ec in c.exercises.items() if sites >= ec.sites.keys()
        ]
        if sum(t for t, _ in inside) > room:
            model.add(sum(t * v for t, v in inside) <= room)  # 8
    model.maximize(sum(ec.exercise.priority * x[eid] for eid, ec in c.exercises.items()))
    return model, x, y_of


def _unit_supply(c: Candidates, by_nation: bool = False) -> dict[str, tuple[int, int]]:
    """Per capability (or nation): the most (unit, exercise) assignments its units can make,
    and their available days, summed over units that are a candidate anywhere (before the
    cap)."""
    out: dict[str, tuple[int, int]] = {}
    for uid, (count, shortest) in c.unit_reach.items():
        unit = c.units[uid]
        runs = c.unit_runs[uid]
        available = d.size(runs)
        most = min(count, _most_exercises(available, runs[-1][1] - runs[0][0] + 1, shortest, unit))
        key = unit.nation if by_nation else unit.capability
        before = out.get(key, (0, 0))
        out[key] = (before[0] + most, before[1] + available)
    return out


def _most_exercises(available: int, span: int, shortest: int, unit: Unit) -> int:
    """The most exercises of at least `shortest` days a unit can take on `available` days
    within `span` days in a row: each takes `shortest` available days or more, and two leave
    `rest_days` between them (rest days need not be available ones), so n * shortest <=
    available and n * shortest + (n - 1) * rest_days <= span; and `max_exercises`."""
    most = min(available // shortest, (span + unit.rest_days) // (shortest + unit.rest_days))
    return most if unit.max_exercises is None else min(most, unit.max_exercises)


def _windowed_units(c: Candidates, model: cp_model.CpModel, x: dict) -> None:
    """Constraints 9 and 10: constraints 6 and 7 within each time window T of a few
    lengths (`WINDOW_DAYS`, every `WINDOW_STEP_DAYS`), over the exercises whose every
    possible day lies in T (their units' exercises then lie in T too)."""
    spans = {
        eid: (ec.starts[0][0], ec.starts[-1][1] + ec.duration - 1)
        for eid, ec in c.exercises.items()
    }
    needs: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # capability -> (e, k, t)
    for eid, ec in c.exercises.items():
        for req in ec.exercise.requirements:
            needs[req.capability].append((eid, req.units, ec.duration))
    units_of: dict[str, list[str]] = defaultdict(list)
    for uid in c.unit_reach:
        units_of[c.units[uid].capability].append(uid)
    day_masks = {uid: d.mask(c.unit_runs[uid]) for uid in c.unit_reach}
    seen: set[tuple[str, frozenset[str]]] = set()
    for length in WINDOW_DAYS:
        for first in range(0, max(1, c.horizon_days - length + 1), WINDOW_STEP_DAYS):
            last = min(c.horizon_days - 1, first + length - 1)
            window = d.mask([(first, last)])
            for capability, asked in sorted(needs.items()):
                inside = [
                    (eid, k, t)
                    for eid, k, t in asked
                    if first <= spans[eid][0] and spans[eid][1] <= last
                ]
                key = (capability, frozenset(eid for eid, _, _ in inside))
                if not inside or key in seen:
                    continue
                seen.add(key)
                shortest = min(t for _, _, t in inside)
                most = days = 0
                for uid in units_of.get(capability, []):
                    available = (day_masks[uid] & window).bit_count()
                    if available >= shortest:
                        most += _most_exercises(available, last - first + 1, shortest, c.units[uid])
                        days += available
                if sum(k for _, k, _ in inside) > most:
                    model.add(sum(k * x[eid] for eid, k, _ in inside) <= most)  # 9
                if sum(k * t for _, k, t in inside) > days:
                    model.add(sum(k * t * x[eid] for eid, k, t in inside) <= days)  # 10


def _site_room(c: Candidates) -> dict[frozenset[str], int]:
    """Per distinct set of eligible sites: the exercise-days its sites can host."""
    out: dict[frozenset[str], int] = {}
    for ec in c.exercises.values():
        sites = frozenset(ec.sites)
        if sites not in out:
            out[sites] = sum(c.sites[s].concurrent * d.size(c.site_runs[s]) for s in sites)
    return out


def priority_bound(
    c: Candidates,
    time_limit_s: float,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
    impossible: Collection[str] = (),
) -> int | None:
    """A proven upper bound on `priority_scheduled` over every calendar of the programme
    (None when the relaxation itself is infeasible: then so is the programme). Stopped, or
    out of time before CP-SAT has a bound, it is the plain sum of the priorities."""
    return sharp_priority_bound(c, time_limit_s, seed, should_stop, impossible).value


def nations_bound(
    c: Candidates,
    priority: int,
    seconds: float,
    impossible: Collection[str] = (),
    cuts: Collection[Collection[str]] = (),
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
) -> int | None:
    """A proven upper bound on `nation_participations` over every calendar of the programme
    whose `priority_scheduled` is `priority` or more: the relaxation with `y[n, e]` for every
    nation with a candidate unit (11-13), the bound's `cuts` and the first figure held, its
    nations maximised. None when CP-SAT proves no bound within `seconds` (deterministic
    time), is stopped, or finds no such calendar in the relaxation (then there is none)."""
    model, x, y = _relaxation(c, impossible, every_nation=True)
    for core in cuts:
        model.add(sum(x[eid] for eid in core if eid in x) <= len(core) - 1)
    model.add(sum(ec.exercise.priority * x[eid] for eid, ec in c.exercises.items()) >= priority)
    by_exercise: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
    by_nation: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
    for (code, eid), v in sorted(y.items()):
        by_exercise[eid].append((code, v))
        by_nation[code].append((eid, v))
    for eid, ec in c.exercises.items():
        e = ec.exercise
        taking_part = by_exercise[eid]
        places = sum(req.most for req in e.requirements)
        if len(taking_part) > places:
            model.add(sum(v for _, v in taking_part) <= places)  # 11
        if e.max_personnel is not None:
            least = {code: cost // ec.duration for code, cost in ec.nation_costs.items()}
            model.add(sum(least[code] * v for code, v in taking_part) <= e.max_personnel)  # 12
    for code, (most, days) in sorted(_unit_supply(c, by_nation=True).items()):
        items = by_nation.get(code, [])
        if len(items) > most:
            model.add(sum(v for _, v in items) <= most)  # 13
        if sum(c.exercises[eid].duration for eid, _ in items) > days:
            model.add(sum(c.exercises[eid].duration * v for eid, v in items) <= days)  # 13
    if not c.capped:  # a capped programme's candidates leave units out: no schedule to read
        for code, items in sorted(by_nation.items()):
            if should_stop is not None and should_stop():
                return None
            reach = nation_reach(c, code, impossible, NATION_REACH_DETERMINISTIC, seed)
            if reach < len(items):
                model.add(sum(v for _, v in items) <= reach)  # 14
    model.maximize(sum(y.values()))
    solver = _one_worker(seconds, seed)
    stopper = Stopper(should_stop)
    code = stopper.run(solver, model, None)
    if stopper.stopped or code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return int(solver.best_objective_bound + 1e-6)


def nation_reach(
    c: Candidates, code: str, impossible: Collection[str], seconds: float, seed: int = 0
) -> int:
    """Constraint 14: a proven upper bound on the exercises nation `code`'s units alone could
    take part in, their days and rest days kept (CP-SAT for `seconds` of deterministic time:
    its optimum when proven, its bound otherwise; the exercises' count if it has none). The
    candidates must be uncapped (every unit that could take part is among them)."""
    model = cp_model.CpModel()
    joins: list[cp_model.IntVar] = []
    busy: dict[str, list[tuple[cp_model.IntVar, cp_model.IntervalVar]]] = defaultdict(list)
    for eid, ec in c.exercises.items():
        mine = {uid: runs for uid, runs in ec.units.items() if c.units[uid].nation == code}
        if eid in impossible or not mine:
            continue
        starts = d.intersect(d.normalise(r for runs in mine.values() for r in runs), ec.starts)
        if not starts:
            continue
        start = model.new_int_var_from_domain(domain(starts), f"start[exercise={eid}]")
        joined = model.new_bool_var(f"takes_part[exercise={eid}]")
        assigned = []
        for uid, runs in mine.items():
            unit = c.units[uid]
            a = model.new_bool_var(f"assign[unit={uid}, exercise={eid}]")
            model.add_linear_expression_in_domain(start, domain(runs)).only_enforce_if(a)
            held = model.new_optional_fixed_size_interval_var(
                start, ec.duration + unit.rest_days, a, f"holds[unit={uid}, exercise={eid}]"
            )
            busy[uid].append((a, held))
            model.add_implication(a, joined)
            assigned.append(a)
        model.add(joined <= sum(assigned))
        joins.append(joined)
    for uid, items in sorted(busy.items()):
        model.add_no_overlap([held for _, held in items])
        if c.units[uid].max_exercises is not None:
            model.add(sum(a for a, _ in items) <= c.units[uid].max_exercises)
    nation = c.nations.get(code)
    if nation is not None and nation.max_exercises is not None:
        model.add(sum(joins) <= nation.max_exercises)
    model.maximize(sum(joins))
    solver = _one_worker(seconds, seed)
    # presolve costs more than it saves on these small models (M/2's 27: 0.2 s without, 0.5
    # s with, the same bounds)
    solver.parameters.cp_model_presolve = False
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return len(joins)
    return int(solver.best_objective_bound + 1e-6)


def _one_worker(seconds: float, seed: int) -> cp_model.CpSolver:
    """CP-SAT for a relaxation: one worker, `seconds` of deterministic time (the same bound
    on any machine), twice that on the wall clock as a safety net on a crowded one."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = 2 * seconds
    return solver


@dataclass(frozen=True)
class RelaxedBound:
    """The bound, and the sets of exercises proven unable to take place together that
    sharpened it (each a cut of the relaxation; empty for a capped programme)."""

    value: int | None
    cuts: tuple[tuple[str, ...], ...] = ()
    # the exercises the relaxation's last optimum schedules, when its value is the bound: where
    # a plan reaching the bound is sought first (`solver.repair`); not proven to fit together
    chosen: tuple[str, ...] = ()


def sharp_priority_bound(
    c: Candidates,
    time_limit_s: float,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
    impossible: Collection[str] = (),
) -> RelaxedBound:
    """`priority_bound`, sharpened on an uncapped programme by cuts (`_Cuts`): while the
    exercises the relaxation schedules are proven unable to take place together in the
    full model, a minimal such set is cut off and the relaxation solved again."""
    started = time.perf_counter()
    model, x = relaxation(c, impossible)
    seconds = min(BOUND_MAX_SECONDS, max(BOUND_MIN_SECONDS, time_limit_s * BOUND_SECONDS_SHARE))
    solver = _one_worker(seconds, seed)
    stopper = Stopper(should_stop)
    code = stopper.run(solver, model, None)
    if code == cp_model.INFEASIBLE:
        return RelaxedBound(None)
    plain = sum(ec.exercise.priority for ec in c.exercises.values())
    if code == cp_model.UNKNOWN:
        return RelaxedBound(plain)
    if code != cp_model.OPTIMAL or c.capped:
        return RelaxedBound(min(plain, int(solver.best_objective_bound + 1e-6)))
    best = int(round(solver.objective_value))
    deadline = started + min(CUT_MAX_SECONDS, CUT_SECONDS_SHARE * time_limit_s)
    cuts = _Cuts(c, seed, stopper, deadline)
    found: list[tuple[str, ...]] = []
    chosen: tuple[str, ...] = ()
    while len(found) < CUT_MAX_CUTS:
        chosen = tuple(eid for eid, v in x.items() if solver.value(v))
        core = cuts.core(list(chosen))
        if core is None:
            break
        chosen = ()
        left = deadline - time.perf_counter()
        if left <= 0:
            break  # no time to solve the relaxation again: the bound stays as it is
        found.append(core)
        model.add(sum(x[eid] for eid in core) <= len(core) - 1)
        solver.parameters.max_time_in_seconds = min(2 * seconds, left)
        code = stopper.run(solver, model, None)
        if code == cp_model.OPTIMAL:
            best = min(best, int(round(solver.objective_value)))
            chosen = tuple(eid for eid, v in x.items() if solver.value(v))
            continue
        if code == cp_model.INFEASIBLE:  # the must-haves cannot all be kept
            return RelaxedBound(None, tuple(found))
        if code == cp_model.FEASIBLE:
            best = min(best, int(solver.best_objective_bound + 1e-6))
        break
    return RelaxedBound(best, tuple(found), chosen)


class _Cuts:
    """Finds sets of exercises that cannot all take place together, for the relaxation's
    cuts: the full model of the (uncapped) programme with `scheduled[e]` assumed for each
    exercise of the set, given a moment of CP-SAT (`CUT_CHECK_DETERMINISTIC`: time for its
    presolve to prove a clash, not to search). Only an INFEASIBLE answer counts: a set is
    cut off only when CP-SAT proved that no calendar schedules all of it, so every cut
    holds for every calendar. A minimal such set (a cut is stronger the fewer exercises it
    names) is found by QuickXplain's simpler cousin: grow the core one exercise at a time,
    each the last of the shortest prefix that clashes with the core so far (a bisection).

    The model is maximised on priority: CP-SAT's presolve proves far more clashes with the
    objective than without (M/2: infeasible in 0.03 s against unknown after 0.3 s)."""

    def __init__(self, c: Candidates, seed: int, stopper: Stopper, deadline: float):
        self.cm = build_model(c)
        self.cm.model.maximize(self.cm.figures.priority)
        self.seed = seed
        self.stopper = stopper
        self.deadline = deadline
        self.checks = 0

    def _out_of_time(self) -> bool:
        return (
            self.checks >= CUT_MAX_CHECKS
            or time.perf_counter() >= self.deadline
            or self.stopper.stopped
        )

    def clash(self, exercises: list[str]) -> bool | None:
        """Whether `exercises` are proven unable to take place together (None: out of
        time or checks, nothing proven)."""
        if self._out_of_time():
            return None
        self.checks += 1
        model = self.cm.model
        model.clear_assumptions()
        model.add_assumptions([self.cm.variables.scheduled[eid] for eid in exercises])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = CUT_CHECK_DETERMINISTIC
        solver.parameters.max_time_in_seconds = max(0.01, self.deadline - time.perf_counter())
        code = self.stopper.run(solver, model, None)
        if self.stopper.stopped:
            return None
        return code == cp_model.INFEASIBLE

    def core(self, exercises: list[str]) -> tuple[str, ...] | None:
        """A minimal set among `exercises` proven unable to take place together, or None
        when none is proven (the whole set may fit, or there was no time to tell)."""
        if not self.clash(exercises):
            return None
        core: list[str] = []
        rest = list(exercises)
        while True:
            lo, hi = 0, len(rest)  # core + rest[:hi] clashes; core + rest[:lo] is not proven to
            while hi - lo > 1:
                mid = (lo + hi) // 2
                answer = self.clash(core + rest[:mid])
                if answer is None:
                    return None
                if answer:
                    hi = mid
                else:
                    lo = mid
            core.append(rest[hi - 1])
            rest = rest[: hi - 1]
            if not rest:  # core + rest[:hi] clashed: so does the core, in another order
                return tuple(sorted(core))
            answer = self.clash(core)
            if answer is None:
                return None
            if answer:
                return tuple(sorted(core))
