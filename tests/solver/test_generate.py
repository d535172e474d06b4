"""The scenario generator: deterministic, the promised sizes, valid, honest pins, tight."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from solver import (
    Calendar,
    Kpi,
    ScheduledExercise,
    SolveParams,
    UnscheduledExercise,
    parse_scenario,
    solve,
)
from solver.check import check_calendar, figures
from solver.generate import SIZES, generate
from solver.generate_tables import CAPABILITIES, FAR_PARTNERS
from solver.generate_witness import Ledger
from tests.solver.helpers import assert_calendar_valid


def _dump(scenario) -> str:
    return scenario.model_dump_json(exclude_none=True)


@pytest.mark.parametrize("size", ["S", "M"])
def test_same_seed_same_scenario(size: str) -> None:
    assert _dump(generate(size, 7)) == _dump(generate(size, 7))
    assert _dump(generate(size, 7)) != _dump(generate(size, 8))


@pytest.mark.parametrize("size", ["S", "M", "L", "XL"])
def test_sizes_and_json_round_trip(size: str) -> None:
    scenario = generate(size, 3)
    spec = SIZES[size]
    assert len(scenario.nations) == spec.nations
    assert len(scenario.units) == spec.units
    assert len(scenario.sites) == spec.sites
    assert len(scenario.exercises) == spec.exercises
    assert scenario.horizon.days == spec.days
    again = parse_scenario(json.loads(_dump(scenario)))
    assert _dump(again) == _dump(scenario)


def test_content_is_plausible() -> None:
    scenario = generate("M", 11)
    roles = {n.role for n in scenario.nations}
    assert roles == {"ally", "partner"}
    assert {u.capability for u in scenario.units} <= set(CAPABILITIES)
    for u in scenario.units:
        low, high, _ = CAPABILITIES[u.capability]
        assert low <= u.personnel <= high
    assert not {s.host for s in scenario.sites} & set(FAR_PARTNERS)
    sar_sites = [s for s in scenario.sites if s.supports_type("search_and_rescue")]
    assert sar_sites and all(s.kind in {"maritime", "air", "mountain"} for s in sar_sites)
    for e in scenario.exercises:
        if e.type == "search_and_rescue":
            assert e.requirements[0].capability in {"sar_helicopter", "sar_vessel"}
    assert any(e.after for e in scenario.exercises)
    assert any(e.mandatory for e in scenario.exercises)
    assert any(e.pinned is not None for e in scenario.exercises)
    assert any(n.max_exercises is not None for n in scenario.nations)


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown size"):
        generate("XXL", 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_first_fit_placer_keeps_the_rules(seed: int) -> None:
    """The placer behind honest pins keeps rules 2-8, as the independent checker sees it."""
    scenario = generate("M", seed)
    free = scenario.model_copy(
        update={
            "exercises": [
                e.model_copy(update={"mandatory": False, "pinned": None, "after": []})
                for e in scenario.exercises
            ]
        }
    )
    ledger = Ledger(free)
    rng = random.Random(seed)
    scheduled, unscheduled = [], []
    for e in free.exercises:
        placed = ledger.try_place(e, rng)
        if placed is None:
            unscheduled.append(
                UnscheduledExercise(exercise=e.id, reasons=[{"code": "x", "message": "no fit"}])
            )
            continue
        start = free.horizon.start + dt.timedelta(days=placed.start)
        scheduled.append(
            ScheduledExercise(
                exercise=e.id,
                start=start,
                end=start + dt.timedelta(days=e.duration_days - 1),
                site=placed.site,
                units=list(placed.units),
            )
        )
    calendar = Calendar(
        scenario=free.name, status="feasible", kpi=Kpi(), scheduled=scheduled,
        unscheduled=unscheduled,
    )  # fmt: skip
    calendar.kpi = figures(free, calendar)
    result = check_calendar(free, calendar)
    assert result.ok, [v.message for v in result.violations]
    assert scheduled


def test_s_is_tight_but_mostly_schedulable() -> None:
    """Roughly 70-95% of a small programme fits: some pressure, never a hopeless one."""
    fractions = []
    for seed in range(1, 7):
        scenario = generate("S", seed)
        calendar = solve(scenario, SolveParams(time_limit_s=3, workers=1, seed=0))
        assert_calendar_valid(scenario, calendar)
        assert calendar.status in {"optimal", "feasible"}
        fractions.append(len(calendar.scheduled) / len(scenario.exercises))
    assert min(fractions) < 1.0
    assert 0.65 <= sum(fractions) / len(fractions) <= 0.97, fractions


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_mandatory_and_pinned_exercises_can_be_kept(seed: int) -> None:
    scenario = generate("M", seed)
    assert any(e.mandatory for e in scenario.exercises)
    assert any(e.pinned is not None for e in scenario.exercises)
    calendar = solve(scenario, SolveParams(time_limit_s=4, workers=1, seed=0))
    assert calendar.status in {"optimal", "feasible"}
    assert_calendar_valid(scenario, calendar)
