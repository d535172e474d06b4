"""A hypothesis strategy for small but varied valid `pfp-scenario/1` documents.

Few nations, units, sites and exercises over a short horizon, with random windows,
blackouts, limits, rest days, `after` links (only to earlier exercises, so never a cycle)
and now and then a mandatory or pinned exercise (pins fit their window and eligibility, but
may well be impossible to keep together: the solver must then say `infeasible`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

CODES = ["PL", "RO", "SE", "NL", "FI", "AT"]
CAPABILITIES = ["infantry_company", "medical_team", "sar_helicopter", "engineer_platoon"]
TYPES = ["peacekeeping", "search_and_rescue", "humanitarian"]
KINDS = ["land", "maritime", "air", "mountain", "urban"]
FIRST_DAY = dt.date(2001, 3, 1)
# True about one time in 15 (integers(1, n) == 1 would be drawn far more often: hypothesis
# favours the bounds)
RARELY = st.sampled_from([False] * 14 + [True])


def _iso(day: int) -> str:
    return (FIRST_DAY + dt.timedelta(days=day)).isoformat()


@st.composite
def window_in(draw: st.DrawFn, first: int, last: int, least: int = 1) -> dict[str, str]:
    """A window of at least `least` days inside days first..last."""
    start = draw(st.integers(first, last - least + 1))
    end = draw(st.integers(start + least - 1, last))
    return {"start": _iso(start), "end": _iso(end)}


def _maybe(draw: st.DrawFn, value: st.SearchStrategy[Any], chance: int = 3) -> Any:
    """`value` drawn about one time in `chance`, else None."""
    return draw(value) if draw(st.sampled_from([False] * (chance - 1) + [True])) else None


def _windows(draw: st.DrawFn, first: int, last: int, most: int = 2) -> list[dict[str, str]]:
    return draw(st.lists(window_in(first, last), max_size=most))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    offset = draw(st.integers(0, 300))
    days = draw(st.integers(8, 45))
    first, last = offset, offset + days - 1
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    nations = []
    for code in codes:
        nation: dict[str, Any] = {"code": code, "name": f"Nation {code}"}
        nation["role"] = draw(st.sampled_from(["ally", "partner"]))
        nation["availability"] = _maybe(draw, st.just(_windows(draw, first, last)), 5)
        nation["blackouts"] = _maybe(draw, st.just(_windows(draw, first, last, 1)), 3) or []
        nation["max_exercises"] = _maybe(draw, st.integers(0, 3))
        nation["budget_person_days"] = _maybe(draw, st.integers(0, 5000))
        nation["desired_exercises"] = _maybe(draw, st.integers(0, 3))
        nations.append(nation)
    units = []
    for i in range(draw(st.integers(2, 9))):
        units.append(
            {
                "id": f"U{i}",
                "nation": draw(st.sampled_from(codes)),
                "capability": draw(st.sampled_from(CAPABILITIES)),
                "personnel": draw(st.integers(1, 150)),
                "availability": _maybe(draw, st.just(_windows(draw, first, last)), 3),
                "blackouts": _maybe(draw, st.just(_windows(draw, first, last, 1)), 3) or [],
                "max_exercises": _maybe(draw, st.integers(0, 3)),
                "rest_days": draw(st.sampled_from([0, 0, 1, 3, 7])),
            }
        )
    sites = []
    for i in range(draw(st.integers(1, 3))):
        sites.append(
            {
                "id": f"S{i}",
                "name": f"Site {i}",
                "host": draw(st.sampled_from(codes)),
                "kind": draw(st.sampled_from(KINDS)),
                "supports": _maybe(
                    draw, st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)
                ),
                "availability": _maybe(draw, st.just(_windows(draw, first, last))),
                "capacity_personnel": _maybe(draw, st.integers(1, 600)),
                "concurrent": draw(st.integers(1, 2)),
            }
        )
    exercises: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 5))):
        exercises.append(_exercise(draw, i, first, last, exercises, sites, units))
    return {
        "format": "pfp-scenario/1",
        "name": "property scenario",
        "horizon": {"start": _iso(first), "end": _iso(last)},
        "nations": nations,
        "units": units,
        "sites": sites,
        "exercises": exercises,
    }


def _exercise(
    draw: st.DrawFn,
    i: int,
    first: int,
    last: int,
    earlier: list[dict[str, Any]],
    sites: list[dict[str, Any]],
    units: list[dict[str, Any]],
) -> dict[str, Any]:
    kind = draw(st.sampled_from(TYPES))
    duration = draw(st.integers(1, min(10, last - first + 1)))
    declared = sorted({u["capability"] for u in units})
    asked = st.sampled_from(
        declared if draw(st.sampled_from([True] * 9 + [False])) else CAPABILITIES
    )
    caps = draw(st.lists(asked, min_size=1, max_size=2, unique=True))
    requirements = []
    for cap in caps:
        least = draw(st.sampled_from([1, 1, 1, 2]))
        req: dict[str, Any] = {"capability": cap, "units": least}
        if draw(st.booleans()):
            req["max_units"] = least + draw(st.integers(0, 1))
        requirements.append(req)
    exercise: dict[str, Any] = {
        "id": f"E{i}",
        "name": f"Exercise {i}",
        "type": kind,
        "duration_days": duration,
        "requirements": requirements,
        "min_nations": draw(st.sampled_from([1, 1, 1, 2, 2, 3])),
        "max_personnel": _maybe(draw, st.integers(1, 400), 4),
        "priority": draw(st.integers(1, 100)),
        "preferred_months": _maybe(
            draw, st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True), 2
        ),
    }
    window = _maybe(draw, window_in(first, last, duration), 2)
    if window is not None:
        exercise["window"] = window
    site_ids = [s["id"] for s in sites]
    if draw(st.integers(1, 4)) == 1:
        exercise["sites"] = draw(
            st.lists(st.sampled_from(site_ids), min_size=1, max_size=2, unique=True)
        )
    if earlier and draw(st.integers(1, 3)) == 1:
        before = draw(
            st.lists(st.sampled_from([e["id"] for e in earlier]), max_size=2, unique=True)
        )
        exercise["after"] = [{"exercise": b, "gap_days": draw(st.integers(0, 3))} for b in before]
    exercise["mandatory"] = draw(RARELY)
    if draw(RARELY):
        exercise["pinned"] = _pin(draw, exercise, first, last, sites, units)
    return exercise


def _pin(
    draw: st.DrawFn,
    exercise: dict[str, Any],
    first: int,
    last: int,
    sites: list[dict[str, Any]],
    units: list[dict[str, Any]],
) -> dict[str, Any]:
    """A pin the contract accepts: a start that fits, an eligible site, units of a needed kind."""
    pin: dict[str, Any] = {}
    window = exercise.get("window")
    low = first if window is None else (dt.date.fromisoformat(window["start"]) - FIRST_DAY).days
    high = last if window is None else (dt.date.fromisoformat(window["end"]) - FIRST_DAY).days
    if draw(st.booleans()):
        pin["start"] = _iso(draw(st.integers(low, high - exercise["duration_days"] + 1)))
    if "sites" in exercise:
        eligible = list(exercise["sites"])
    else:
        eligible = [
            s["id"] for s in sites if s["supports"] is None or exercise["type"] in s["supports"]
        ]
    if eligible and draw(st.booleans()):
        pin["site"] = draw(st.sampled_from(eligible))
    needed = {r["capability"] for r in exercise["requirements"]}
    fitting = [u["id"] for u in units if u["capability"] in needed]
    if fitting and draw(st.booleans()):
        pin["units"] = draw(st.lists(st.sampled_from(fitting), min_size=1, max_size=2, unique=True))
    return pin
