"""`explain(scenario, calendar)`: for every unscheduled exercise, a minimal set of causes
found by CP-SAT, in plain words, with verified changes that would let it in.

Per exercise: a probe (`solver.explain.probe`) forces it into the calendar held fixed; its
groups of constraints are assumptions; an infeasible solve on one worker names a sufficient
subset (`sufficient_assumptions_for_infeasibility`), then each cause is dropped in turn and
the probe solved again, keeping it dropped while still infeasible, until none can be
dropped ("minimal": every re-solve finished; "best_effort": the time budget ran out).
"""

from __future__ import annotations

import time

from solver.calendar import Calendar
from solver.explain import words as w
from solver.explain.causes import describe, static_causes, summary
from solver.explain.probe import Group, Probe
from solver.explain.suggest import Clock, Context, suggestions
from solver.explain.types import ExplainParams, Explanation
from solver.scenario import Scenario


def shrink(probe: Probe, core: list[Group], clock: Clock) -> tuple[list[Group], bool]:
    """Deletion: drop each cause in turn while the rest stays infeasible."""
    proven = True
    i = 0
    while i < len(core):
        if clock.out:
            return core, False
        trial = core[:i] + core[i + 1 :]
        out = probe.solve(trial, clock.seconds(), clock.params.seed, clock.params.workers)
        if out.status == "infeasible":
            keep = set(out.core)
            core = [g for g in trial if g in keep] if keep else trial
        else:
            proven = proven and out.status == "feasible"
            i += 1
    return core, proven


def explain_one(
    scenario: Scenario, calendar: Calendar, exercise_id: str, clock: Clock, names: w.Names
) -> Explanation:
    t0 = time.perf_counter()
    e = next(x for x in scenario.exercises if x.id == exercise_id)
    fixed = list(calendar.scheduled)
    probe = Probe(scenario, fixed, exercise_id)
    ctx = Context(scenario, fixed, e, probe, clock, names)
    static = static_causes(scenario, probe, names)
    core: list[Group] = []
    status = "static"
    placed = {p.exercise for p in fixed}
    waiting = [a.exercise for a in e.after if a.exercise not in placed]
    if not static and waiting:
        # its predecessor is not in the calendar: that alone keeps it out (no solve needed)
        core, status = [Group("after", waiting[0])], "minimal"
    elif not static:
        out = probe.solve(None, clock.seconds(), clock.params.seed, clock.params.workers)
        if out.status == "feasible" and out.found is not None:
            f = out.found
            message = (
                f"{e.name} fits alongside the calendar as it is: at {names.site(f.site)} "
                f"{w.span(f.start, f.end)} with {w.listing([names.unit(u) for u in f.units])}."
            )
            found = ctx.verify("add_exercise", f"Add {e.name}: " + message, scenario, [])
            return Explanation(
                exercise=e.id,
                name=e.name,
                status="fits",
                message=message,
                causes=[],
                suggestions=[found] if found else [],
                elapsed_s=time.perf_counter() - t0,
            )
        if out.status == "unknown":
            status = "unknown"
            core = list(probe.groups)
        else:
            core = out.core or []
            if core:
                check = probe.solve(core, clock.seconds(), clock.params.seed)
                if check.status != "infeasible":
                    core = list(probe.groups)
            core, proven = shrink(probe, core, clock)
            status = "minimal" if proven else "best_effort"
    causes = static + [describe(probe, g, names) for g in core]
    if status != "unknown" and not core and not static:
        status = "static"
    waits = any(g.kind == "after" and g.ref not in placed for g in core)
    found_suggestions = []
    if clock.params.suggestions and not waits:  # nothing helps before its predecessor is in
        found_suggestions = suggestions(ctx, core)
    return Explanation(
        exercise=e.id,
        name=e.name,
        status=status,  # type: ignore[arg-type]
        message=summary(probe, causes, names),
        causes=causes,
        suggestions=found_suggestions,
        elapsed_s=time.perf_counter() - t0,
    )


def explain(
    scenario: Scenario, calendar: Calendar, params: ExplainParams | None = None
) -> list[Explanation]:
    """An explanation for every unscheduled exercise of `calendar` (none when infeasible)."""
    params = params or ExplainParams()
    if calendar.status == "infeasible":
        return []
    t0 = time.perf_counter()
    names = w.Names(scenario)
    known = {e.id for e in scenario.exercises}
    waiting = [u.exercise for u in calendar.unscheduled if u.exercise in known]
    out = []
    for k, eid in enumerate(waiting):
        left = params.time_limit_s - (time.perf_counter() - t0)
        share = left / max(1, len(waiting) - k)
        budget = min(params.per_exercise_s, max(share, 0.0))
        clock = Clock(time.perf_counter() + budget, params)
        out.append(explain_one(scenario, calendar, eid, clock, names))
    return out
