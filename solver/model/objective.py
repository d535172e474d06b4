"""Soft rules: the three figures a calendar is judged by, then the nations' wishes, compared
lexicographically.

The search runs in two phases (`solver.search`): the first figure alone, then, with it held
at its best, the later ones with exact weights: each figure's weight is larger than the most
all later figures together can add, so no amount of a later figure ever pays for one unit of
an earlier one. (With a few thousand exercises the weights stay far below 2**53, where
doubles are exact.)

After the spec's three figures comes a fourth the spec allows (`scenario.md`, "The figures a
calendar is judged by"): `desired_exercises_met`, over nations with `desired_exercises`, the
exercises each joins counted up to its wish. It breaks ties only: it moves participations
towards nations below their wish when the three figures stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model.days import intersect, month_runs
from solver.model.variables import Variables, domain

EXACT_LIMIT = 2**53


@dataclass(frozen=True)
class Weights:
    priority: int
    nations: int
    preferred: int
    wishes: int
    most_nations: int
    most_preferred: int
    most_wishes: int


def soft_priority_scheduled(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 1. The sum of `priority` over scheduled exercises."""
    return sum(
        ec.exercise.priority * v.scheduled[eid] for eid, ec in v.candidates.exercises.items()
    )


def soft_nation_participations(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 2. Over scheduled exercises, the number of distinct nations taking part."""
    return sum(v.takes_part.values())


def soft_preferred_month_hits(v: Variables) -> cp_model.LinearExpr:
    """Soft, figure 3. Scheduled exercises that start in one of their `preferred_months`."""
    horizon = v.candidates.scenario.horizon
    for eid, ec in v.candidates.exercises.items():
        months = ec.exercise.preferred_months
        if not months:
            continue
        hits = intersect(ec.starts, month_runs(horizon.start, horizon.end, months))
        if not hits:
            continue
        hit = v.model.new_bool_var(f"starts_in_preferred_month[exercise={eid}]")
        v.model.add_implication(hit, v.scheduled[eid])
        v.model.add_linear_expression_in_domain(v.start[eid], domain(hits)).only_enforce_if(hit)
        v.preferred[eid] = hit
    return sum(v.preferred.values())


def soft_desired_exercises_met(v: Variables) -> cp_model.LinearExpr:
    """Soft, after the three figures. Over nations with `desired_exercises`, the exercises
    each takes part in, counted up to its wish (`min(joined, desired)`)."""
    joined: dict[str, list] = {}
    for (code, _eid), var in v.takes_part.items():
        joined.setdefault(code, []).append(var)
    for n in v.candidates.nations.values():  # (a neighbourhood's: the wishes left to it)
        if not n.desired_exercises or n.code not in joined:
            continue
        most = min(n.desired_exercises, len(joined[n.code]))
        if n.max_exercises is not None:
            most = min(most, n.max_exercises)
        met = v.model.new_int_var(0, most, f"desired_exercises_met[nation={n.code}]")
        v.model.add(met <= sum(joined[n.code]))
        v.wishes[n.code] = met
    return sum(v.wishes.values())


def upper(var: cp_model.IntVar) -> int:
    """A variable's largest value (its proto's repeated field takes no negative index)."""
    domain = var.proto.domain
    return domain[len(domain) - 1]


def most_wishes(v: Variables) -> int:
    return sum(upper(var) for var in v.wishes.values())


def weights(v: Variables, wishes: bool = True) -> Weights:
    """Exact lexicographic weights from the most each later figure can reach; without
    `wishes`, the wish figure weighs nothing (for programmes too large for exact weights
    with it)."""
    c = v.candidates
    most_preferred = sum(1 for e in c.exercises.values() if e.exercise.preferred_months)
    most_nations = 0
    for ec in c.exercises.values():
        nations = {c.units[u].nation for u in ec.units}
        most_nations += min(len(nations), sum(r.most for r in ec.exercise.requirements))
    most_met = most_wishes(v) if wishes else 0
    preferred = most_met + 1
    nations = (most_preferred + 1) * preferred
    priority = (most_nations + 1) * nations
    return Weights(
        priority, nations, preferred, int(wishes), most_nations, most_preferred, most_met
    )


@dataclass(frozen=True)
class Figures:
    """The three figures and the wishes met, as linear expressions of the model's variables."""

    priority: cp_model.LinearExprT
    nations: cp_model.LinearExprT
    preferred: cp_model.LinearExprT
    wishes: cp_model.LinearExprT


SOFT = (
    soft_priority_scheduled,
    soft_nation_participations,
    soft_preferred_month_hits,
    soft_desired_exercises_met,
)


def figures(v: Variables) -> Figures:
    return Figures(*(soft(v) for soft in SOFT))


def lexicographic(f: Figures, w: Weights) -> cp_model.LinearExprT:
    """All the figures in one objective with exact weights."""
    return w.priority * f.priority + after_priority(f, w)


def after_priority(f: Figures, w: Weights) -> cp_model.LinearExprT:
    """The later figures, lexicographically (once the first is fixed)."""
    return w.nations * f.nations + w.preferred * f.preferred + w.wishes * f.wishes


def check_exact(v: Variables, w: Weights) -> None:
    most_priority = sum(ec.exercise.priority for ec in v.candidates.exercises.values())
    if (most_priority + 1) * w.priority >= EXACT_LIMIT:
        raise OverflowError("too many exercises for exact lexicographic weights")
