"""Cancelling a solve at any step: while preparing, during the greedy, during the search.

`should_stop` is asked inside every long loop (every exercise prepared or placed by the
greedy), so a cancel is noticed within one item of any step, and the solve hands back the
best valid calendar it has. Asserted on structure (how often it was asked, what came back),
never on time: how soon that is in seconds is the benchmarks' business.
"""

from __future__ import annotations

import pytest

from solver import SolveParams, data_conflicts, generate, solve
from solver.model.candidates import prepare
from tests.solver.helpers import assert_calendar_valid


@pytest.fixture(scope="module")
def large():
    return generate("L", 1)


class StopAfter:
    """Says stop from its `n`-th call on, and counts the calls."""

    def __init__(self, n: int):
        self.n = n
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls >= self.n


def _preparing_asks(scenario) -> int:
    """How often preparing asks (per batch of units, per exercise in each of its loops)."""
    never = StopAfter(10**9)
    prepare(scenario, None, None, never)
    return never.calls


def _unscheduled_codes(calendar) -> set[str]:
    return {r.code for x in calendar.unscheduled for r in x.reasons}


def test_stop_while_preparing_returns_an_empty_undecided_calendar(large) -> None:
    stop = StopAfter(_preparing_asks(large) // 2)
    calendar = solve(large, SolveParams(time_limit_s=60, workers=1, should_stop=stop))
    assert_calendar_valid(large, calendar)
    assert stop.calls == stop.n  # noticed at once, never asked again
    assert calendar.status == "unknown" and not calendar.scheduled
    assert calendar.stats is not None and calendar.stats.stopped
    assert "stopped while preparing" in calendar.stats.phases
    assert calendar.stats.greedy_s is None  # the greedy never ran
    assert _unscheduled_codes(calendar) == {"stopped"}
    assert len(calendar.unscheduled) == len(large.exercises)


def test_stop_during_the_greedy_returns_its_partial_calendar(large) -> None:
    # no must-haves: whatever the greedy has placed when stopped is a calendar
    free = large.model_copy(
        update={
            "exercises": [
                e.model_copy(update={"mandatory": False, "pinned": None}) for e in large.exercises
            ]
        }
    )
    tried_before_stop = 40
    stop = StopAfter(_preparing_asks(free) + tried_before_stop)
    calendar = solve(free, SolveParams(time_limit_s=60, workers=1, should_stop=stop))
    assert_calendar_valid(free, calendar)
    assert stop.calls == stop.n
    stats = calendar.stats
    assert stats is not None and stats.stopped
    assert "stopped during the greedy" in stats.phases
    assert stats.build_s is None  # no model was built, no search ran
    assert calendar.status == "feasible"
    assert 0 < len(calendar.scheduled) < tried_before_stop
    assert "stopped" in _unscheduled_codes(calendar)
    assert calendar.bound is not None
    assert calendar.bound.priority_scheduled >= calendar.kpi.priority_scheduled


def test_stop_during_the_greedy_before_the_must_haves_are_placed(large) -> None:
    must = [e for e in large.exercises if e.mandatory or e.pinned is not None]
    assert len(must) > 1  # the greedy places them first: stopped at its first, none is
    stop = StopAfter(_preparing_asks(large) + 1)
    calendar = solve(large, SolveParams(time_limit_s=60, workers=1, should_stop=stop))
    assert_calendar_valid(large, calendar)
    assert calendar.status == "unknown" and not calendar.scheduled
    assert calendar.stats is not None and calendar.stats.stopped


def test_without_a_stop_nothing_says_stopped() -> None:
    scenario = generate("S", 1)
    calendar = solve(scenario, SolveParams(time_limit_s=5, workers=1))
    assert calendar.stats is not None and not calendar.stats.stopped


def test_data_conflicts_stopped_give_those_found_so_far() -> None:
    scenario = generate("M", 1)
    everything = data_conflicts(scenario)
    assert everything
    assert data_conflicts(scenario, lambda: True) == []
    stop = StopAfter(len(scenario.exercises) + 2)  # indexed, then two checks
    some = data_conflicts(scenario, stop)
    assert stop.calls == stop.n
    assert all(c in everything for c in some) and len(some) < len(everything)
