"""Rule 2: an exercise's days lie inside its window and the horizon."""

from __future__ import annotations

from solver.model.days import clip
from solver.model.variables import Variables, domain


def rule_2_inside_window_and_horizon(v: Variables) -> None:
    """Hard. `start .. start+duration-1` lies inside the exercise's window and the horizon."""
    c = v.candidates
    for eid, ec in c.exercises.items():
        window = c.scenario.exercise_window(ec.exercise)
        first, last = c.day(window.start), c.day(window.end)
        allowed = clip([(first, last - ec.duration + 1)], 0, c.horizon_days - 1)
        v.model.add_linear_expression_in_domain(v.start[eid], domain(allowed))
