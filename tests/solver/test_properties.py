"""Properties over hundreds of small random scenarios: every calendar the solver proposes keeps
the rules, as the independent checker sees them, and reports the figures its entries give."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings

from solver import SolveParams, check_calendar, parse_scenario, solve
from tests.solver.scenario_strategy import scenarios

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@given(scenarios())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_strategy_draws_valid_scenarios(document: dict[str, Any]) -> None:
    parse_scenario(document)


@pytest.mark.slow
@given(scenarios())
@PROPERTY_SETTINGS
def test_every_calendar_keeps_the_rules(document: dict[str, Any]) -> None:
    scenario = parse_scenario(document)
    calendar = solve(scenario, SolveParams(time_limit_s=0.5, workers=1, seed=0))
    event(f"status {calendar.status}")
    event("some scheduled" if calendar.scheduled else "nothing scheduled")
    result = check_calendar(scenario, calendar)
    assert result.ok, "\n".join(f"rule {v.rule} {v.code}: {v.message}" for v in result.violations)
    assert calendar.kpi.as_tuple() == result.kpi.as_tuple()
    listed = [s.exercise for s in calendar.scheduled] + [u.exercise for u in calendar.unscheduled]
    assert sorted(listed) == sorted(e.id for e in scenario.exercises)
    if calendar.status == "infeasible":
        assert calendar.scheduled == []
        # only what must be scheduled can make a programme infeasible: nothing at all is a
        # calendar keeping every rule otherwise
        assert any(e.mandatory or e.pinned is not None for e in scenario.exercises)
