"""Synthetic `pfp-scenario/1` programmes for tests and benchmarks: `generate(size, seed)`.

The same size and seed always give the same scenario. Nations are real NATO allies and
partner states; units, sites and exercises are drawn to look like a Partnership for Peace
programme and to be tight: declared units are available only in readiness periods, nations
cap their pace and budget, exercises have narrow windows, so that only part of the programme
fits. Mandatory and pinned exercises are first placed together by a first-fit placer
(`generate_witness`), so a calendar keeping rules 1-9 always exists.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any, Literal

import pycountry

from solver.generate_tables import (
    ALLIES,
    CAPABILITIES,
    CAPABILITY_TAGS,
    EXERCISE_NEEDS,
    EXERCISE_WORDS,
    FAR_PARTNERS,
    LARGE_NATIONS,
    PARTNERS,
    SITE_KINDS,
    SITE_WORDS,
)
from solver.generate_witness import Ledger
from solver.scenario import Scenario, parse_scenario

Size = Literal["S", "M", "L", "XL"]


@dataclass(frozen=True, slots=True)
class SizeSpec:
    nations: int
    units: int
    sites: int
    exercises: int
    days: int
    readiness_days: tuple[int, int] = (30, 90)  # length of a unit's readiness period
    window_slack: tuple[int, int] = (10, 60)  # days an exercise window has beyond its length
    in_season: float = 0.0  # share of exercise windows drawn around the spring/autumn seasons
    demand: float = 1.0  # scales how many units of a capability an exercise may ask for


SIZES: dict[str, SizeSpec] = {
    # the knobs after the counts were tuned so that the solver schedules roughly 70-95%
    "S": SizeSpec(8, 40, 6, 12, 180, readiness_days=(40, 100), window_slack=(10, 60)),
    "M": SizeSpec(
        27,
        300,
        40,
        60,
        365,
        readiness_days=(25, 75),
        window_slack=(5, 40),
        in_season=0.5,
        demand=1.5,
    ),
    "L": SizeSpec(60, 1500, 150, 400, 730, in_season=0.5, demand=1.3),
    "XL": SizeSpec(60, 4000, 300, 1000, 730),
}

Span = tuple[int, int]  # day indices from the horizon's start, both included


def generate(size: Size, seed: int) -> Scenario:
    """A valid, tight scenario of the given size; the same (size, seed) gives the same one."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    document = _Drawer(size, SIZES[size], random.Random(f"pfp-{size}-{seed}")).document(seed)
    return parse_scenario(json.loads(json.dumps(document)))


class _Drawer:
    """Draws one scenario document; every random choice goes through `self.rng`."""

    def __init__(self, size: str, spec: SizeSpec, rng: random.Random):
        self.size = size
        self.spec = spec
        self.rng = rng
        self.start = dt.date(1995 + rng.randrange(30), 1, 1)
        self.days = spec.days
        self.years = max(1, round(spec.days / 365))

    # --- dates --------------------------------------------------------------------------

    def _window(self, span: Span) -> dict[str, str]:
        a, b = span
        return {
            "start": (self.start + dt.timedelta(days=a)).isoformat(),
            "end": (self.start + dt.timedelta(days=b)).isoformat(),
        }

    def _clip(self, a: int, b: int) -> Span | None:
        a, b = max(0, a), min(self.days - 1, b)
        return (a, b) if a <= b else None

    def _span(self, length: int) -> Span:
        length = min(length, self.days)
        a = self.rng.randint(0, self.days - length)
        return (a, a + length - 1)

    def _seasonal_span(self, length: int) -> Span:
        """A span centred in an exercise season (mid-May or late September) of some year."""
        rng = self.rng
        year = self.start.year + rng.randrange(self.years)
        centre = dt.date(year, rng.choice([5, 9]), 15) + dt.timedelta(days=round(rng.gauss(0, 20)))
        length = min(length, self.days)
        a = (centre - self.start).days - length // 2
        a = max(0, min(self.days - length, a))
        return (a, a + length - 1)

    def _yearly(self, month: int, day: int, length: int) -> list[Span]:
        """The same stretch of days in every year of the horizon."""
        out = []
        for year in range(self.start.year, self.start.year + self.years + 1):
            a = (dt.date(year, month, day) - self.start).days
            span = self._clip(a, a + length - 1)
            if span:
                out.append(span)
        return out

    # --- the document -------------------------------------------------------------------

    def document(self, seed: int) -> dict[str, Any]:
        nations = self._nations()
        units = self._units(nations)
        sites = self._sites(nations)
        exercises = self._exercises(units, sites)
        doc = {
            "format": "pfp-scenario/1",
            "name": f"Synthetic {self.size} programme (seed {seed})",
            "horizon": self._window((0, self.days - 1)),
            "nations": nations,
            "units": units,
            "sites": sites,
            "exercises": exercises,
        }
        self._nation_limits(doc)
        self._mandatory_and_pinned(doc)
        return doc

    def _nations(self) -> list[dict[str, Any]]:
        rng = self.rng
        n = self.spec.nations
        if n >= len(ALLIES) + len(PARTNERS) + len(FAR_PARTNERS):
            codes = [*ALLIES, *PARTNERS, *FAR_PARTNERS]
        else:
            allies = rng.sample(sorted(ALLIES), (n + 1) // 2)
            partners = rng.sample(sorted(PARTNERS), n - len(allies))
            codes = allies + partners
        out = []
        for code in codes:
            country = pycountry.countries.get(alpha_2=code)
            nation: dict[str, Any] = {
                "code": code,
                "name": getattr(country, "common_name", None) or country.name,
                "role": "ally" if code in ALLIES else "partner",
            }
            blackouts = self._yearly(12, 22, 12)  # the year-end holidays
            if rng.random() < 0.35:
                blackouts += self._yearly(8, 1, 21)  # the summer leave
            if rng.random() < 0.5:
                blackouts += self._yearly(rng.randint(1, 12), rng.randint(1, 28), 2)
            nation["blackouts"] = [self._window(s) for s in blackouts]
            out.append(nation)
        return out

    def _geo(self, code: str, spread: float) -> dict[str, float]:
        lat, lon, _ = {**ALLIES, **PARTNERS, **FAR_PARTNERS}[code]
        if code in LARGE_NATIONS:
            spread *= 3
        return {
            "lat": round(max(-89.0, min(89.0, lat + self.rng.uniform(-spread, spread))), 3),
            "lon": round(max(-179.0, min(179.0, lon + self.rng.uniform(-spread, spread))), 3),
        }

    def _units(self, nations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        table = {**ALLIES, **PARTNERS, **FAR_PARTNERS}
        codes = [n["code"] for n in nations]
        weights = [table[c][2] * rng.uniform(0.7, 1.3) for c in codes]
        caps = list(CAPABILITIES)
        cap_weights = [CAPABILITIES[c][2] for c in caps]
        # every nation declares something; the rest follows the nations' size
        owners = codes + rng.choices(codes, weights, k=max(0, self.spec.units - len(codes)))
        counters: dict[tuple[str, str], int] = {}
        out = []
        for code in sorted(owners, key=codes.index):
            cap = rng.choices(caps, cap_weights)[0]
            low, high, _ = CAPABILITIES[cap]
            number = counters[code, cap] = counters.get((code, cap), 0) + 1
            unit: dict[str, Any] = {
                "id": f"{code}-{CAPABILITY_TAGS[cap]}-{number}",
                "nation": code,
                "capability": cap,
                "personnel": rng.randint(low, high),
                "home": self._geo(code, 1.0),
            }
            unit.update(self._readiness())
            if rng.random() < 0.4:
                unit["rest_days"] = rng.choice([3, 5, 7, 7, 10, 14, 21])
            if rng.random() < 0.25:
                unit["max_exercises"] = rng.randint(1, 2 * self.years + 1)
            out.append(unit)
        return out

    def _readiness(self) -> dict[str, Any]:
        """A unit's readiness periods (its availability) and maintenance blackouts."""
        rng = self.rng
        out: dict[str, Any] = {}
        if rng.random() < 0.8:
            periods = rng.randint(1, 2) * self.years
            spans = [self._span(rng.randint(*self.spec.readiness_days)) for _ in range(periods)]
            out["availability"] = [self._window(s) for s in sorted(spans)]
        if rng.random() < 0.4:
            spans = [self._span(rng.randint(7, 30)) for _ in range(rng.randint(1, self.years))]
            out["blackouts"] = [self._window(s) for s in sorted(spans)]
        return out

    def _sites(self, nations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        hosts = [n["code"] for n in nations if n["code"] not in FAR_PARTNERS]
        kinds = list(SITE_KINDS)
        # every kind at least once, so that every exercise type has somewhere to go
        drawn = kinds + rng.choices(kinds, [SITE_KINDS[k][3] for k in kinds], k=self.spec.sites)
        drawn = drawn[: self.spec.sites]
        rng.shuffle(drawn)
        counters: dict[str, int] = {}
        out = []
        for kind in drawn:
            host = rng.choice(hosts)
            supports, low, high, _ = SITE_KINDS[kind]
            number = counters[host] = counters.get(host, 0) + 1
            country = pycountry.countries.get(alpha_2=host)
            host_name = getattr(country, "common_name", None) or country.name
            site: dict[str, Any] = {
                "id": f"{host}-{kind[:3].upper()}-{number}",
                "name": f"{host_name} {rng.choice(SITE_WORDS[kind])} {number}",
                "host": host,
                "kind": kind,
                "capacity_personnel": rng.randrange(low, high + 1, 50),
                "concurrent": rng.choices([1, 2, 3], [6, 3, 1])[0],
                "location": self._geo(host, 1.5),
            }
            if supports is not None:
                site["supports"] = list(supports)
            if rng.random() < 0.3:
                spans = [self._span(rng.randint(90, 240)) for _ in range(self.years)]
                site["availability"] = [self._window(s) for s in sorted(spans)]
            out.append(site)
        return out

    def _exercises(
        self, units: list[dict[str, Any]], sites: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        rng = self.rng
        declared: dict[str, int] = {}
        for u in units:
            declared[u["capability"]] = declared.get(u["capability"], 0) + 1
        types = list(EXERCISE_NEEDS)
        shares = [EXERCISE_NEEDS[t][2] for t in types]
        names = rng.sample(EXERCISE_WORDS, len(EXERCISE_WORDS))
        out: list[dict[str, Any]] = []
        for i in range(self.spec.exercises):
            kind = rng.choices(types, shares)[0]
            word = names[i % len(names)]
            series = f" {i // len(names) + 1}" if i >= len(names) else ""
            duration = rng.choice([3, 5, 5, 7, 7, 10, 10, 12, 14, 14, 21])
            requirements = self._requirements(kind, declared)
            least = sum(r["units"] for r in requirements)
            length = duration + rng.randint(*self.spec.window_slack)
            if rng.random() < self.spec.in_season:
                span = self._seasonal_span(length)
            else:
                span = self._span(length)
            year = (self.start + dt.timedelta(days=span[0])).year
            exercise: dict[str, Any] = {
                "id": f"EX{i + 1:04d}",
                "name": f"Cooperative {word}{series} {year % 100:02d}",
                "type": kind,
                "duration_days": duration,
                "requirements": requirements,
                "min_nations": min(least, rng.choices([1, 2, 3, 4], [2, 5, 3, 1])[0]),
                "priority": max(1, min(100, round(rng.triangular(1, 100, 25)))),
            }
            if rng.random() < 0.85:
                exercise["window"] = self._window(span)
            if rng.random() < 0.5:
                starts = range(span[0], max(span[0], span[1] - duration + 1) + 1)
                months = {(self.start + dt.timedelta(days=d)).month for d in starts}
                exercise["preferred_months"] = sorted(rng.sample(sorted(months), 1))
            if rng.random() < 0.15:
                exercise["max_personnel"] = self._personnel_cap(requirements)
            if rng.random() < 0.2:
                eligible = [s["id"] for s in sites if kind in s.get("supports", types)]
                exercise["sites"] = rng.sample(eligible, min(len(eligible), rng.randint(1, 3)))
            if out and rng.random() < 0.15:
                self._after(exercise, rng.choice(out), span)
            out.append(exercise)
        return out

    def _requirements(self, kind: str, declared: dict[str, int]) -> list[dict[str, Any]]:
        rng = self.rng
        primary, secondary, _ = EXERCISE_NEEDS[kind]
        # ask only for capabilities declared often enough to be met at all
        usable = [c for c in primary if declared.get(c, 0) >= 2] or list(primary)
        wanted = [rng.choice(usable)]
        extra = [c for c in secondary if c not in wanted and declared.get(c, 0) >= 2]
        least_extra = 1 if kind != "search_and_rescue" else 0
        wanted += rng.sample(extra, min(len(extra), rng.randint(least_extra, 2)))
        out = []
        for j, cap in enumerate(wanted):
            have = declared.get(cap, 0)
            most = max(1, min(round((4 if j == 0 else 2) * self.spec.demand), have // 3))
            least = rng.randint(1, most)
            req: dict[str, Any] = {"capability": cap, "units": least}
            if rng.random() < 0.3:
                req["max_units"] = least + 1
            out.append(req)
        return out

    def _personnel_cap(self, requirements: list[dict[str, Any]]) -> int:
        typical = sum(
            r["units"] * (CAPABILITIES[r["capability"]][0] + CAPABILITIES[r["capability"]][1]) / 2
            for r in requirements
        )
        return max(1, round(typical * self.rng.uniform(1.0, 1.4)))

    def _after(self, exercise: dict[str, Any], before: dict[str, Any], span: Span) -> None:
        """`exercise` follows `before`: its window moves after the earliest end of `before`."""
        gap = self.rng.choice([0, 0, 3, 7, 14, 30])
        window = before.get("window")
        first = 0 if window is None else (dt.date.fromisoformat(window["start"]) - self.start).days
        earliest = first + before["duration_days"] + gap
        length = span[1] - span[0] + 1
        moved = self._clip(max(span[0], earliest), max(span[0], earliest) + length - 1)
        if moved is None or moved[1] - moved[0] + 1 < exercise["duration_days"]:
            return
        exercise["after"] = [{"exercise": before["id"], "gap_days": gap}]
        if "window" in exercise or moved[0] > 0:
            exercise["window"] = self._window(moved)

    def _nation_limits(self, doc: dict[str, Any]) -> None:
        """Pace (max_exercises), budget and wishes, drawn around each nation's fair share."""
        rng = self.rng
        per_nation: dict[str, list[dict[str, Any]]] = {}
        for u in doc["units"]:
            per_nation.setdefault(u["nation"], []).append(u)
        total = len(doc["units"])
        joins = sum(e["min_nations"] + 1 for e in doc["exercises"])
        for n in doc["nations"]:
            mine = per_nation.get(n["code"], [])
            share = joins * len(mine) / total
            people = sum(u["personnel"] for u in mine) / max(1, len(mine))
            if rng.random() < 0.4:
                n["max_exercises"] = max(1, round(share * rng.uniform(0.4, 0.9)))
            if rng.random() < 0.3:
                n["budget_person_days"] = round(share * people * 1.5 * 9 * rng.uniform(0.4, 1.0))
            if rng.random() < 0.5:
                n["desired_exercises"] = max(1, round(share * rng.uniform(0.8, 1.5)))

    def _mandatory_and_pinned(self, doc: dict[str, Any]) -> None:
        """Mark a few exercises mandatory or pinned, only where they fit together."""
        rng = self.rng
        exercises = doc["exercises"]
        followed = {a["exercise"] for e in exercises for a in e.get("after", [])}
        free = [
            i for i, e in enumerate(exercises) if not e.get("after") and e["id"] not in followed
        ]
        count = max(1, round(len(exercises) * 0.06))
        chosen = rng.sample(free, min(count, len(free)))
        ledger = Ledger(parse_scenario(json.loads(json.dumps(doc))))
        for k, i in enumerate(chosen):
            e = ledger.scenario.exercises[i]
            placed = ledger.try_place(e, rng)
            if placed is None:
                continue
            if k % 2 == 0:
                exercises[i]["mandatory"] = True
                continue
            pin: dict[str, Any] = {}
            what = rng.choice(["start", "start+site", "site+units", "all"])
            if "start" in what or what == "all":
                pin["start"] = ledger.date(placed.start).isoformat()
            if "site" in what or what == "all":
                pin["site"] = placed.site
            if "units" in what or what == "all":
                pin["units"] = list(placed.units[: rng.randint(1, len(placed.units))])
            exercises[i]["pinned"] = pin
