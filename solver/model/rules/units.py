"""Rules 4 and 5: the units an exercise needs, and what each unit can do."""

from __future__ import annotations

from solver.model.variables import Variables, domain


def rule_4_requirements_met(v: Variables) -> None:
    """Hard. Each requirement gets between `units` and `max_units` units of its capability.

    Only units of a required capability are candidates, and a unit has one `assign`
    variable per exercise, so it appears at most once in it.
    """
    for eid, ec in v.candidates.exercises.items():
        for req in ec.exercise.requirements:
            assigned = sum(v.assign[u, eid] for u in ec.by_capability.get(req.capability, []))
            v.at_least(assigned, req.units, eid, f"capability={req.capability}")
            v.model.add(assigned <= req.most * v.scheduled[eid])


def rule_5_unit_available_all_days(v: Variables) -> None:
    """Hard. An assigned unit is available on every day of the exercise."""
    for eid, ec in v.candidates.exercises.items():
        for uid, starts in ec.units.items():
            if starts != ec.starts:
                v.model.add_linear_expression_in_domain(
                    v.start[eid], domain(starts)
                ).only_enforce_if(v.assign[uid, eid])


def rule_5_unit_rest_days(v: Variables) -> None:
    """Hard. Two exercises of a unit leave at least its `rest_days` whole days between them.

    Each assignment occupies the exercise's days plus `rest_days` after it; those stretches
    may not overlap (they may run past the horizon's end: nothing else is there).
    """
    for uid, exercises in v.exercises_of_unit().items():
        if len(exercises) > 1:
            v.model.add_no_overlap([v.unit_interval[uid, eid] for eid in exercises])


def rule_5_unit_max_exercises(v: Variables) -> None:
    """Hard. A unit takes part in at most its `max_exercises` exercises."""
    for uid, exercises in v.exercises_of_unit().items():
        limit = v.candidates.units[uid].max_exercises
        if limit is not None and len(exercises) > limit:
            v.model.add(sum(v.assign[uid, eid] for eid in exercises) <= limit)
