"""Rules 6 and 7: nations and personnel of an exercise; each nation's limits."""

from __future__ import annotations

from solver.model.variables import Variables


def rule_6_min_nations(v: Variables) -> None:
    """Hard. The assigned units come from at least `min_nations` distinct nations."""
    for eid, ec in v.candidates.exercises.items():
        if ec.exercise.min_nations > 1:
            taking_part = [t for (_, e), t in v.takes_part.items() if e == eid]
            v.at_least(sum(taking_part), ec.exercise.min_nations, eid, "nations")


def rule_6_max_personnel(v: Variables) -> None:
    """Hard. The assigned units' personnel together is at most `max_personnel`."""
    for eid, ec in v.candidates.exercises.items():
        if ec.exercise.max_personnel is not None:
            v.model.add(v.personnel[eid] <= ec.exercise.max_personnel)


def rule_7_nation_max_exercises(v: Variables) -> None:
    """Hard. A nation takes part in at most its `max_exercises` exercises."""
    by_nation: dict[str, list] = {}
    for (code, _), t in v.takes_part.items():
        by_nation.setdefault(code, []).append(t)
    for code, parts in by_nation.items():
        nation = v.candidates.nations.get(code)
        limit = None if nation is None else nation.max_exercises
        if limit is not None and len(parts) > limit:
            v.model.add(sum(parts) <= limit)


def rule_7_nation_budget(v: Variables) -> None:
    """Hard. A nation's assigned units' person-days stay within `budget_person_days`."""
    c = v.candidates
    terms: dict[str, list] = {}
    for (uid, eid), a in v.assign.items():
        unit = c.units[uid]
        terms.setdefault(unit.nation, []).append((unit.personnel * c.exercises[eid].duration, a))
    for code, items in terms.items():
        nation = c.nations.get(code)
        if nation is None or nation.budget_person_days is None:
            continue
        if sum(w for w, _ in items) > nation.budget_person_days:
            v.model.add(sum(w * a for w, a in items) <= nation.budget_person_days)
