"""The one registry of the model's rules: definitions, then Hard, then Soft.

Each hard rule of the spec (`scenario.md`, "The hard rules a calendar must keep") is a small
function named after it; rule 1 (every exercise exactly once) holds by construction: one
`scheduled` variable per exercise, and the calendar lists each exercise once. The soft rules
(the figures the calendar is judged by) are in `solver.model.objective`.
"""

from __future__ import annotations

from collections.abc import Callable

from solver.model.rules.dates import rule_2_inside_window_and_horizon
from solver.model.rules.definitions import define_personnel, define_takes_part
from solver.model.rules.nations import (
    rule_6_max_personnel,
    rule_6_min_nations,
    rule_7_nation_budget,
    rule_7_nation_max_exercises,
)
from solver.model.rules.order import rule_8_after, rule_9_mandatory, rule_9_pinned
from solver.model.rules.sites import (
    rule_3_one_eligible_available_site,
    rule_3_site_capacity_personnel,
    rule_3_site_concurrent,
)
from solver.model.rules.units import (
    rule_4_requirements_met,
    rule_5_unit_available_all_days,
    rule_5_unit_max_exercises,
    rule_5_unit_rest_days,
)
from solver.model.variables import Variables

Rule = Callable[[Variables], None]

DEFINITIONS: tuple[Rule, ...] = (define_personnel, define_takes_part)

HARD: tuple[Rule, ...] = (
    rule_2_inside_window_and_horizon,
    rule_3_one_eligible_available_site,
    rule_3_site_concurrent,
    rule_3_site_capacity_personnel,
    rule_4_requirements_met,
    rule_5_unit_available_all_days,
    rule_5_unit_rest_days,
    rule_5_unit_max_exercises,
    rule_6_min_nations,
    rule_6_max_personnel,
    rule_7_nation_max_exercises,
    rule_7_nation_budget,
    rule_8_after,
    rule_9_pinned,
    rule_9_mandatory,
)

__all__ = ["DEFINITIONS", "HARD", "Rule"]
