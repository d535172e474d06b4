"""Conflicts of a calendar: why each unscheduled exercise is out, and what would let it in.

`explain(scenario, calendar, params)` gives one `Explanation` per unscheduled exercise: a
minimal set of causes found by CP-SAT (assumptions on groups of constraints, then shrunk),
in plain words, with suggested changes each verified by re-solving and by the independent
checker. `soft_conflicts` lists the missed wishes (preferred months, desired exercises).
"""

from solver.explain.explain import explain
from solver.explain.soft import soft_conflicts
from solver.explain.types import (
    Cause,
    Change,
    Cost,
    ExplainParams,
    Explanation,
    SoftConflict,
    Suggestion,
)

__all__ = [
    "Cause",
    "Change",
    "Cost",
    "ExplainParams",
    "Explanation",
    "SoftConflict",
    "Suggestion",
    "explain",
    "soft_conflicts",
]
