"""Put the model together: variables, then every rule of the registry, then the objective
(and, for a re-plan, the base placements it may keep)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.greedy import Plan
from solver.model.candidates import Candidates
from solver.model.objective import Figures, Weights, check_exact, figures, weights
from solver.model.rules import DEFINITIONS, HARD
from solver.model.stability import StableWeights, soft_keep_base, stable_weights
from solver.model.variables import Variables, build_variables


@dataclass
class CalendarModel:
    model: cp_model.CpModel
    variables: Variables
    weights: Weights
    figures: Figures
    # a re-plan only: `keeps_base[exercise]` literals and the weights that rank them second
    keeps_base: dict[str, cp_model.IntVar] = field(default_factory=dict)
    stable: StableWeights | None = None

    @property
    def kept(self) -> cp_model.LinearExprT:
        return sum(self.keeps_base.values())


def build_model(
    candidates: Candidates,
    must_as_assumptions: bool = False,
    base: Plan | None = None,
    shortfalls: bool = False,
) -> CalendarModel:
    """The calendar model; `shortfalls`: rules 4 and 6 may fall short, by the variables
    `variables.shortfalls` (a model of `solver.repair.fill`, not of calendars)."""
    model = cp_model.CpModel()
    v = build_variables(model, candidates)
    v.must_as_assumptions = must_as_assumptions
    if shortfalls:
        v.shortfalls = []
    for rule in (*DEFINITIONS, *HARD):
        rule(v)
    f = figures(v)
    keeps_base = {} if base is None else soft_keep_base(v, base)
    most_priority = sum(ec.exercise.priority for ec in candidates.exercises.values())

    def exact(wishes: bool) -> tuple[Weights, StableWeights | None]:
        w = weights(v, wishes)
        check_exact(v, w)
        if base is None:
            return w, None
        return w, stable_weights(w, len(keeps_base), most_priority)

    try:
        w, stable = exact(wishes=True)
    except OverflowError:  # the wishes give way when exact weights cannot hold them
        w, stable = exact(wishes=False)
    return CalendarModel(model, v, w, f, keeps_base, stable)
