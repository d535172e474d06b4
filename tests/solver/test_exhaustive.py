"""On tiny scenarios, a brute-force search over every calendar confirms `optimal` is optimal.

The search is written here from the spec alone, sharing no code with the model: it lists,
per exercise, every (start, site, units) the exercise-level rules allow, then walks every
combination keeping the rules between exercises, and takes the best figures.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter

import pytest

from solver import Scenario, SolveParams, parse_scenario, solve
from tests.solver.helpers import assert_calendar_valid, load_example

Option = tuple[dt.date, str, tuple[str, ...]]


def _days(start: dt.date, length: int) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range(length)]


def _inside(day: dt.date, windows) -> bool:
    return not windows or any(w.start <= day <= w.end for w in windows)


def _outside(day: dt.date, windows) -> bool:
    return not any(w.start <= day <= w.end for w in windows)


def _options(s: Scenario, e) -> list[Option]:
    nations = {n.code: n for n in s.nations}
    units = {u.id: u for u in s.units}
    window = e.window or s.horizon
    first, last = max(window.start, s.horizon.start), min(window.end, s.horizon.end)

    def unit_free(u, day: dt.date) -> bool:
        n = nations[u.nation]
        return (
            _inside(day, u.availability)
            and _inside(day, n.availability)
            and _outside(day, u.blackouts)
            and _outside(day, n.blackouts)
        )

    sites = [
        x for x in s.sites if (x.id in e.sites if e.sites else e.type in (x.supports or [e.type]))
    ]
    per_requirement = []
    for req in e.requirements:
        able = [u.id for u in s.units if u.capability == req.capability]
        picks = [c for k in range(req.units, req.most + 1) for c in itertools.combinations(able, k)]
        per_requirement.append(picks)
    out: list[Option] = []
    start = first
    while start + dt.timedelta(days=e.duration_days - 1) <= last:
        days = _days(start, e.duration_days)
        for site in sites:
            if not all(_inside(day, site.availability) for day in days):
                continue
            for combo in itertools.product(*per_requirement):
                chosen = tuple(u for group in combo for u in group)
                if not all(unit_free(units[u], day) for u in chosen for day in days):
                    continue
                if len({units[u].nation for u in chosen}) < e.min_nations:
                    continue
                people = sum(units[u].personnel for u in chosen)
                if e.max_personnel is not None and people > e.max_personnel:
                    continue
                if site.capacity_personnel is not None and people > site.capacity_personnel:
                    continue
                pin = e.pinned
                if pin is not None and (
                    (pin.start is not None and pin.start != start)
                    or (pin.site is not None and pin.site != site.id)
                    or not set(pin.units or []) <= set(chosen)
                ):
                    continue
                out.append((start, site.id, chosen))
        start += dt.timedelta(days=1)
    return out


def _fits(s: Scenario, plan: dict[str, Option]) -> bool:
    """The rules between exercises: units' rest and limits, sites, nations, after."""
    units = {u.id: u for u in s.units}
    nations = {n.code: n for n in s.nations}
    sites = {x.id: x for x in s.sites}
    exercises = {e.id: e for e in s.exercises}
    spans = {
        k: (v[0], v[0] + dt.timedelta(days=exercises[k].duration_days - 1)) for k, v in plan.items()
    }
    for a, b in itertools.combinations(plan, 2):
        for u in set(plan[a][2]) & set(plan[b][2]):
            rest = dt.timedelta(days=units[u].rest_days)
            (sa, ea), (sb, eb) = spans[a], spans[b]
            if not (sb > ea + rest or sa > eb + rest):
                return False
    used = Counter(u for v in plan.values() for u in v[2])
    if any(
        units[u].max_exercises is not None and n > units[u].max_exercises for u, n in used.items()
    ):
        return False
    joined = Counter(code for v in plan.values() for code in {units[u].nation for u in v[2]})
    spent = Counter()
    for k, v in plan.items():
        for u in v[2]:
            spent[units[u].nation] += units[u].personnel * exercises[k].duration_days
    for code, n in nations.items():
        if n.max_exercises is not None and joined[code] > n.max_exercises:
            return False
        if n.budget_person_days is not None and spent[code] > n.budget_person_days:
            return False
    for k, v in plan.items():
        site = sites[v[1]]
        for day in _days(spans[k][0], exercises[k].duration_days):
            here = [o for o in plan if plan[o][1] == site.id and spans[o][0] <= day <= spans[o][1]]
            if len(here) > site.concurrent:
                return False
            people = sum(units[u].personnel for o in here for u in plan[o][2])
            if site.capacity_personnel is not None and people > site.capacity_personnel:
                return False
        for link in exercises[k].after:
            if link.exercise not in plan:
                return False
            if v[0] < spans[link.exercise][1] + dt.timedelta(days=link.gap_days + 1):
                return False
    return True


def _wishes_met(s: Scenario, plan: dict[str, Option]) -> int:
    units = {u.id: u for u in s.units}
    joined = [n for i in plan for n in {units[u].nation for u in plan[i][2]}]
    return sum(
        min(joined.count(n.code), n.desired_exercises)
        for n in s.nations
        if n.desired_exercises is not None
    )


def brute_force(s: Scenario) -> tuple[int, int, int, int] | None:
    """The best figures over every calendar keeping rules 1-9, or None when there is none:
    the spec's three, then the nations' desired exercises met."""
    units = {u.id: u for u in s.units}
    options = {e.id: _options(s, e) for e in s.exercises}
    must = {e.id for e in s.exercises if e.mandatory or e.pinned is not None}
    best: tuple[int, int, int, int] | None = None
    ids = [e.id for e in s.exercises]
    choices = [([] if i in must else [None]) + options[i] for i in ids]
    for combo in itertools.product(*choices):
        plan = {i: o for i, o in zip(ids, combo, strict=True) if o is not None}
        if not _fits(s, plan):
            continue
        figures = (
            sum(e.priority for e in s.exercises if e.id in plan),
            sum(len({units[u].nation for u in plan[i][2]}) for i in plan),
            sum(
                1
                for e in s.exercises
                if e.id in plan and plan[e.id][0].month in (e.preferred_months or [])
            ),
            _wishes_met(s, plan),
        )
        if best is None or figures > best:
            best = figures
    return best


def _random_tiny(seed: int) -> Scenario:
    """Three exercises over eight days across a month end: small enough to enumerate."""
    rnd = random.Random(seed)
    caps = ["infantry_company", "medical_team"]
    nations = [
        {
            "code": c,
            "name": c,
            "max_exercises": rnd.choice([None, None, 1]),
            "desired_exercises": rnd.choice([None, 1, 2, 3]),
        }
        for c in ("PL", "RO", "SE")
    ]
    nations[0]["budget_person_days"] = rnd.choice([None, 80])
    units = []
    for k in range(rnd.randint(3, 4)):
        u = {
            "id": f"U{k}",
            "nation": rnd.choice(["PL", "RO", "SE"]),
            "capability": caps[k % 2],
            "personnel": rnd.choice([5, 10, 15]),
            "rest_days": rnd.choice([0, 0, 1, 2]),
        }
        if rnd.random() < 0.3:
            u["blackouts"] = [{"start": "1995-06-29", "end": "1995-06-29"}]
        units.append(u)
    sites = [
        {
            "id": "S1",
            "name": "S1",
            "host": "PL",
            "concurrent": rnd.choice([1, 2]),
            "capacity_personnel": rnd.choice([None, 25]),
        },
        {"id": "S2", "name": "S2", "host": "RO", "supports": ["humanitarian"]},
    ]
    exercises = []
    for k in range(3):
        reqs = [{"capability": caps[0], "units": 1, "max_units": rnd.choice([1, 2])}]
        if rnd.random() < 0.5:
            reqs.append({"capability": caps[1], "units": 1})
        e = {
            "id": f"E{k}",
            "name": f"E{k}",
            "type": rnd.choice(["peacekeeping", "humanitarian"]),
            "duration_days": rnd.randint(2, 4),
            "requirements": reqs,
            "priority": rnd.choice([5, 10, 20]),
            "min_nations": rnd.choice([1, 1, 2]),
            "preferred_months": rnd.choice([None, [6], [7]]),
        }
        if k == 2 and rnd.random() < 0.5:
            e["after"] = [{"exercise": "E0", "gap_days": rnd.choice([0, 1])}]
        if k == 1 and rnd.random() < 0.3:
            e["mandatory"] = True
        exercises.append(e)
    return parse_scenario(
        {
            "format": "pfp-scenario/1",
            "name": f"random tiny {seed}",
            "horizon": {"start": "1995-06-27", "end": "1995-07-04"},
            "nations": nations,
            "units": units,
            "sites": sites,
            "exercises": exercises,
        }
    )


def _confirm(s: Scenario) -> None:
    calendar = solve(s, SolveParams(time_limit_s=5, workers=1, seed=0))
    assert_calendar_valid(s, calendar)
    best = brute_force(s)
    if best is None:
        assert calendar.status == "infeasible"
    else:
        assert calendar.status == "optimal"
        assert calendar.stats is not None
        wishes = calendar.stats.desired_exercises_met or 0
        assert (*calendar.kpi.as_tuple(), wishes) == best
        assert calendar.bound is not None and calendar.bound.priority_scheduled == best[0]


def test_brute_force_agrees_on_the_spec_example() -> None:
    best = brute_force(load_example("tiny"))
    assert best is not None and best[:3] == (70, 5, 1)
    assert brute_force(load_example("tiny-infeasible")) is None


@pytest.mark.parametrize("name", ["tiny", "tiny-infeasible"])
def test_spec_examples_optimal_by_brute_force(name: str) -> None:
    _confirm(load_example(name))


@pytest.mark.parametrize("seed", range(16))
def test_random_tiny_optimal_by_brute_force(seed: int) -> None:
    _confirm(_random_tiny(seed))
