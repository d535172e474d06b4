"""Rules 8 and 9: `after` links, pins and mandatory exercises."""

from __future__ import annotations

from solver.model.variables import Variables


def rule_8_after(v: Variables) -> None:
    """Hard. A scheduled exercise's predecessors are scheduled, and it starts at least
    `gap_days` whole days after each one ends."""
    c = v.candidates
    for eid, ec in c.exercises.items():
        for link in ec.exercise.after:
            pred = c.exercises[link.exercise]
            v.model.add_implication(v.scheduled[eid], v.scheduled[link.exercise])
            v.model.add(
                v.start[eid] >= v.start[link.exercise] + pred.duration + link.gap_days
            ).only_enforce_if(v.scheduled[eid])


def _must_schedule(v: Variables, exercise_id: str) -> None:
    if v.must_as_assumptions:
        v.must_haves[exercise_id] = v.scheduled[exercise_id]
    else:
        v.model.add(v.scheduled[exercise_id] == 1)


def rule_9_pinned(v: Variables) -> None:
    """Hard. A pinned exercise is scheduled, with its pinned start, site and units.

    Start and site are pinned through the candidates (their only start and site)."""
    for eid, ec in v.candidates.exercises.items():
        if ec.exercise.pinned is not None:
            _must_schedule(v, eid)
            for uid in ec.pinned_units:
                v.model.add(v.assign[uid, eid] == 1).only_enforce_if(v.scheduled[eid])


def rule_9_mandatory(v: Variables) -> None:
    """Hard. A mandatory exercise is scheduled."""
    for eid, ec in v.candidates.exercises.items():
        if ec.exercise.mandatory:
            _must_schedule(v, eid)
