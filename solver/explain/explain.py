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
from dataclasses import dataclass

from solver.calendar import Calendar
from solver.explain import words as w
from solver.explain.causes import describe, static_causes, summary
from solver.explain.probe import Group, Probe
from solver.explain.suggest import Clock, Context, suggestions
from solver.explain.types import ExplainParams, Explanation
from solver.scenario import Scenario

CAUSES_SHARE = 0.6  # of the time budget, at most, for the causes (the rest: suggestions)


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


@dataclass
class _Pending:
    """An explanation whose suggestions are still to be found (the second pass)."""

    explanation: Explanation
    ctx: Context | None
    core: list[Group]


def explain_one(
    scenario: Scenario, calendar: Calendar, exercise_id: str, clock: Clock, names: w.Names
) -> _Pending:
    """The causes of one exercise (first pass: no suggestions yet)."""
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
            fits = Explanation(
                exercise=e.id,
                name=e.name,
                status="fits",
                message=message,
                causes=[],
                suggestions=[found] if found else [],
                elapsed_s=time.perf_counter() - t0,
            )
            return _Pending(fits, None, [])
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
    explanation = Explanation(
        exercise=e.id,
        name=e.name,
        status=status,  # type: ignore[arg-type]
        message=summary(probe, causes, names),
        causes=causes,
        elapsed_s=time.perf_counter() - t0,
    )
    # nothing helps before its predecessor is in the calendar
    return _Pending(explanation, None if waits else ctx, core)


def _shares(params: ExplainParams, t0: float, total: float, count: int, k: int) -> Clock:
    left = total - (time.perf_counter() - t0)
    share = left / max(1, count - k)
    return Clock(time.perf_counter() + min(params.per_exercise_s, max(share, 0.0)), params)


def explain(
    scenario: Scenario, calendar: Calendar, params: ExplainParams | None = None
) -> list[Explanation]:
    """An explanation for every unscheduled exercise of `calendar` (none when infeasible).

    Two passes share `params.time_limit_s`: first the causes of every exercise, then the
    suggestions, each exercise with its share of what is left (at most `per_exercise_s`)."""
    params = params or ExplainParams()
    if calendar.status == "infeasible":
        return []
    t0 = time.perf_counter()
    names = w.Names(scenario)
    known = {e.id for e in scenario.exercises}
    waiting = [u.exercise for u in calendar.unscheduled if u.exercise in known]
    causes_budget = params.time_limit_s * (CAUSES_SHARE if params.suggestions else 1.0)
    pending = [
        explain_one(
            scenario, calendar, eid, _shares(params, t0, causes_budget, len(waiting), k), names
        )
        for k, eid in enumerate(waiting)
    ]
    todo = [p for p in pending if p.ctx is not None] if params.suggestions else []
    for k, p in enumerate(todo):
        assert p.ctx is not None
        t1 = time.perf_counter()
        p.ctx.clock = _shares(params, t0, params.time_limit_s, len(todo), k)
        p.explanation.suggestions = suggestions(p.ctx, p.core)
        p.explanation.elapsed_s += time.perf_counter() - t1
    return [p.explanation for p in pending]
