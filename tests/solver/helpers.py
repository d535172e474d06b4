"""Shared test helpers: every calendar a test produces goes through the independent checker."""

from __future__ import annotations

import json
import time
from pathlib import Path

from solver import Calendar, Progress, Scenario, SolveParams, parse_scenario, solve
from solver.calendar import Reason, SolveStats
from solver.check import check_calendar
from solver.greedy import Plan
from solver.model.candidates import Candidates
from solver.solve import _calendar

DATA = Path(__file__).parent.parent / "data"


def load_example(name: str) -> Scenario:
    return parse_scenario(json.loads((DATA / f"{name}.scenario.json").read_text()))


def load_example_calendar(name: str) -> Calendar:
    return Calendar.model_validate_json((DATA / f"{name}.calendar.json").read_text())


def assert_calendar_valid(scenario: Scenario, calendar: Calendar) -> None:
    """The calendar keeps every hard rule and reports the figures its entries give."""
    result = check_calendar(scenario, calendar)
    assert result.ok, "\n".join(f"rule {v.rule} {v.code}: {v.message}" for v in result.violations)


def plan_calendar(scenario: Scenario, c: Candidates, plan: Plan) -> Calendar:
    """A `feasible` calendar of a plan made outside `solve` (the greedy's, a neighbourhood
    search's), with a placeholder reason for each unscheduled exercise, for the checker."""
    reasons = {
        e.id: [Reason(code="x", message="x")] for e in scenario.exercises if e.id not in plan
    }
    return _calendar(scenario, c, "feasible", plan, None, reasons, SolveStats())


def solve_stopped_after(scenario: Scenario, source: str, seconds: float = 1.0) -> Calendar:
    """`solve` (60 s, two workers, seed 3) stopped `seconds` after the first progress report
    from `source`; the stop must end it well before phase 1's 45 s, with a valid calendar."""
    began = time.perf_counter()
    heard: list[float] = []

    def stop() -> bool:
        return bool(heard) and time.perf_counter() - heard[0] > seconds

    def seen(p: Progress) -> None:
        if p.source == source and not heard:
            heard.append(time.perf_counter())

    params = SolveParams(time_limit_s=60, workers=2, seed=3, progress=seen, should_stop=stop)
    calendar = solve(scenario, params)
    assert time.perf_counter() - began < 30  # not phase 1's 45 s
    assert_calendar_valid(scenario, calendar)
    assert calendar.stats is not None and calendar.stats.stopped
    return calendar
