"""Soft rule of a re-plan: keep the base calendar's placements (fewest changes).

`keeps_base[exercise]` is true only when the exercise is scheduled with its base start, site
and exactly its base units. Maximising their number minimises the changes (the base entries
not kept). It ranks second, after `priority_scheduled` and before the later two figures:
each weight is larger than the most everything after it can add, as in `objective`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.greedy import Plan
from solver.model import days as d
from solver.model.objective import EXACT_LIMIT, Figures, Weights, after_priority
from solver.model.variables import Variables


def soft_keep_base(v: Variables, base: Plan) -> dict[str, cp_model.IntVar]:
    """Soft, re-plan. One `keeps_base` literal per base placement the candidates still allow."""
    c = v.candidates
    model = v.model
    keeps: dict[str, cp_model.IntVar] = {}
    for eid, p in base.items():
        ec = c.exercises.get(eid)
        if (
            ec is None
            or not d.contains(ec.starts, p.start)
            or not d.contains(ec.sites.get(p.site, []), p.start)
            or not all(d.contains(ec.units.get(u, []), p.start) for u in p.units)
        ):
            continue
        keep = model.new_bool_var(f"keeps_base[exercise={eid}]")
        model.add_implication(keep, v.scheduled[eid])
        model.add(v.start[eid] == p.start).only_enforce_if(keep)
        model.add_implication(keep, v.site[eid, p.site])
        chosen = set(p.units)
        for uid in ec.units:
            a = v.assign[uid, eid]
            model.add_implication(keep, a if uid in chosen else a.Not())
        keeps[eid] = keep
    return keeps


@dataclass(frozen=True)
class StableWeights:
    """Weights of (priority, kept, after-priority figures) in one exact objective."""

    priority: int
    kept: int


def stable_weights(w: Weights, most_kept: int, most_priority: int) -> StableWeights:
    kept = w.priority  # more than nations and preferred months together can add
    priority = kept * (most_kept + 1)
    if (most_priority + 1) * priority >= EXACT_LIMIT:
        raise OverflowError("too many exercises for exact lexicographic weights")
    return StableWeights(priority, kept)


def stable_lexicographic(
    f: Figures, w: Weights, sw: StableWeights, kept: cp_model.LinearExprT
) -> cp_model.LinearExprT:
    """Priority, then kept base placements, then nations and preferred months."""
    return sw.priority * f.priority + sw.kept * kept + after_priority(f, w)


def stable_after_priority(
    f: Figures, w: Weights, sw: StableWeights, kept: cp_model.LinearExprT
) -> cp_model.LinearExprT:
    """Kept base placements, then nations and preferred months (the first figure fixed)."""
    return sw.kept * kept + after_priority(f, w)


def stable_priority_first(
    f: Figures, sw: StableWeights, kept: cp_model.LinearExprT
) -> cp_model.LinearExprT:
    """Priority, then kept base placements (the later figures left out)."""
    return (sw.priority // sw.kept) * f.priority + kept
