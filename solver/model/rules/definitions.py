"""What the rules speak of, tied to the decision variables (not rules in themselves)."""

from __future__ import annotations

from solver.model.variables import Variables


def define_personnel(v: Variables) -> None:
    """`personnel[exercise]` is the personnel of all its assigned units together."""
    c = v.candidates
    for eid, ec in c.exercises.items():
        v.model.add(
            v.personnel[eid] == sum(c.units[u].personnel * v.assign[u, eid] for u in ec.units)
        )


def define_takes_part(v: Variables) -> None:
    """A nation takes part in an exercise exactly when one of its units is assigned to it."""
    c = v.candidates
    for eid, ec in c.exercises.items():
        by_nation: dict[str, list] = {}
        for uid in ec.units:
            a = v.assign[uid, eid]
            code = c.units[uid].nation
            by_nation.setdefault(code, []).append(a)
            v.model.add_implication(a, v.takes_part[code, eid])
        for code, assigned in by_nation.items():
            v.model.add_bool_or(assigned).only_enforce_if(v.takes_part[code, eid])
        # implied, but it gives the search a far tighter bound on the nations figure
        most = min(len(by_nation), sum(r.most for r in ec.exercise.requirements))
        if by_nation:
            parts = [v.takes_part[code, eid] for code in by_nation]
            v.model.add(sum(parts) <= most * v.scheduled[eid])
