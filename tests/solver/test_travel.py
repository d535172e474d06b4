"""Shorter travel after the figures: nearer host sites where they have room, nothing else moved."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver import SolveParams, solve
from solver.check import check_calendar, travel_km
from solver.greedy import Placement
from solver.model.candidates import prepare
from solver.scenario import GeoPoint
from solver.travel import great_circle_km, plan_travel_km, shorten_travel
from tests.solver.helpers import assert_calendar_valid
from tests.solver.solve_helpers import FAST, entry, exercise, scenario, solved, unit, window

WARSAW = {"lat": 52.23, "lon": 21.01}
LISBON = {"lat": 38.72, "lon": -9.14}


def _site(sid: str, where: dict, **extra) -> dict:
    return {"id": sid, "name": sid, "host": "PL", "location": where, **extra}


def _programme(near: dict | None = None, exercises: list[dict] | None = None):
    """Polish units at home in Warsaw; a site near them and one in Lisbon."""
    return scenario(
        units=[unit("PL-1", home=WARSAW), unit("PL-2", home=WARSAW)],
        sites=[_site("FAR", LISBON), _site("NEAR", WARSAW, **(near or {}))],
        exercises=exercises or [exercise("E1", 3, window=window(1, 10))],
    )


def test_great_circle_distances() -> None:
    quarter = great_circle_km(GeoPoint(lat=0, lon=0), GeoPoint(lat=0, lon=90))
    assert quarter == pytest.approx(math.pi / 2 * 6371.0088)
    assert great_circle_km(GeoPoint(**WARSAW), GeoPoint(**WARSAW)) == 0
    # Warsaw - Lisbon is some 2,760 km
    assert 2700 < great_circle_km(GeoPoint(**WARSAW), GeoPoint(**LISBON)) < 2820


points = st.builds(
    GeoPoint,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
)


@given(points, points)
def test_the_checker_measures_travel_as_the_solver_does(a: GeoPoint, b: GeoPoint) -> None:
    s = scenario(
        units=[unit("PL-1", home=a.model_dump())],
        sites=[_site("S1", b.model_dump())],
    )
    calendar = solve(s, FAST)
    assert travel_km(s, calendar) == pytest.approx(great_circle_km(a, b), abs=1e-6)
    assert calendar.stats is not None
    assert calendar.stats.travel_km == pytest.approx(great_circle_km(a, b), abs=0.05)


def test_an_exercise_moves_to_the_nearer_site() -> None:
    c = prepare(_programme())
    far = {"E1": Placement(0, "FAR", ("PL-1",))}
    plan, moved = shorten_travel(c, far)
    assert moved == 1 and plan == {"E1": Placement(0, "NEAR", ("PL-1",))}
    assert plan_travel_km(c, plan) < 1 < plan_travel_km(c, far)


def test_a_full_site_is_not_taken_nor_a_kept_placement_moved() -> None:
    two = [
        exercise("E1", 3, window=window(1, 10)),
        exercise("E2", 3, window=window(1, 10)),
    ]
    c = prepare(_programme(exercises=two))
    plan = {"E1": Placement(0, "FAR", ("PL-1",)), "E2": Placement(1, "NEAR", ("PL-2",))}
    assert shorten_travel(c, plan) == (plan, 0)  # NEAR hosts E2 on days 1-2
    c = prepare(_programme(near={"capacity_personnel": 5}))  # a unit is 10 people
    far = {"E1": Placement(0, "FAR", ("PL-1",))}
    assert shorten_travel(c, far) == (far, 0)
    c = prepare(_programme())
    assert shorten_travel(c, far, keep={"E1"}) == (far, 0)


def test_the_solver_hosts_the_exercise_near_its_units() -> None:
    calendar = solved(_programme())
    assert entry(calendar, "E1").site == "NEAR"
    assert calendar.stats is not None and calendar.stats.travel_km == 0.0


def test_a_re_plan_keeps_the_base_site_though_another_is_nearer() -> None:
    s = _programme()
    base = solved(s)
    moved_away = base.model_copy(deep=True)
    moved_away.scheduled[0].site = "FAR"
    assert_calendar_valid(s, moved_away.model_copy(update={"stats": None}))
    calendar = solve(s, SolveParams(time_limit_s=5, workers=1, seed=0, base=moved_away))
    assert_calendar_valid(s, calendar)
    assert entry(calendar, "E1").site == "FAR"
    assert calendar.stats is not None and calendar.stats.changes == 0


def test_the_checker_flags_a_wrong_travel_figure() -> None:
    s = _programme()
    calendar = solved(s)
    assert calendar.stats is not None
    calendar.stats.travel_km = 123.0
    codes = [v.code for v in check_calendar(s, calendar).violations]
    assert codes == ["travel_mismatch"]
