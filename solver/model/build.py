"""Put the model together: variables, then every rule of the registry, then the objective."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model.candidates import Candidates
from solver.model.objective import Figures, Weights, check_exact, figures, weights
from solver.model.rules import DEFINITIONS, HARD
from solver.model.variables import Variables, build_variables


@dataclass
class CalendarModel:
    model: cp_model.CpModel
    variables: Variables
    weights: Weights
    figures: Figures


def build_model(candidates: Candidates, must_as_assumptions: bool = False) -> CalendarModel:
    model = cp_model.CpModel()
    v = build_variables(model, candidates)
    v.must_as_assumptions = must_as_assumptions
    for rule in (*DEFINITIONS, *HARD):
        rule(v)
    f = figures(v)
    w = weights(v)
    check_exact(v, w)
    return CalendarModel(model, v, w, f)
