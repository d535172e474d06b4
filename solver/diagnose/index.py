"""The scenario indexed once for the checks: each unit's available days, and for each
exercise the start days in reach, its eligible sites and, per requirement, the units that
count and the ones ruled out (with why)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from solver.diagnose.conflict import DataConflict, Severity
from solver.diagnose.spans import Span, intersect, merge, start_spans, subtract
from solver.model.days import mask, runs_of, starts_mask
from solver.scenario import Exercise, Nation, Scenario, Site, Unit, Window
from solver.stopping import NEVER, Stopped

UNAVAILABLE = ""  # the reason a unit is ruled out most often, spelt out only when shown


# --- the scenario, indexed once -------------------------------------------------------------


@dataclass
class Need:
    """One requirement of one exercise: the units that count, and the ones ruled out."""

    capability: str
    units: int
    most: int
    # the units that count, each with its start days in the exercise's window as bits
    counted: list[tuple[Unit, int]] = field(default_factory=list)
    excluded: list[tuple[Unit, str]] = field(default_factory=list)
    unfunded: list[Unit] = field(default_factory=list)  # ruled out by their nation's limits only


@dataclass
class ExerciseView:
    exercise: Exercise
    lo: int
    hi: int
    needs: list[Need]
    sites: list[Site]
    site_starts: dict[str, list[Span]]


class Index:
    def __init__(self, scenario: Scenario, stop: Callable[[], bool] = NEVER):
        self.scenario = scenario
        self.origin = scenario.horizon.start
        self.length = scenario.horizon.days
        self.nations = {n.code: n for n in scenario.nations}
        self.units = {u.id: u for u in scenario.units}
        self.sites = {s.id: s for s in scenario.sites}
        self.exercises = {e.id: e for e in scenario.exercises}
        self.by_capability: dict[str, list[Unit]] = {}
        for u in scenario.units:
            self.by_capability.setdefault(u.capability, []).append(u)
        whole = [(0, self.length - 1)]
        nation_days = {
            n.code: subtract(
                intersect(whole, self.spans(n.availability, whole)), self.spans(n.blackouts, [])
            )
            for n in scenario.nations
        }
        self.unit_days: dict[str, list[Span]] = {}
        for u in scenario.units:
            days = intersect(nation_days.get(u.nation, whole), self.spans(u.availability, whole))
            self.unit_days[u.id] = subtract(days, self.spans(u.blackouts, []))
        # capability, duration -> unit id -> the start days that keep the unit available
        # throughout, as bits (bit s = day s)
        self._unit_starts: dict[tuple[str, int], dict[str, int]] = {}
        self._unit_day_masks: dict[str, int] = {}
        self._facts: dict[tuple[str, int], list[tuple[Unit, int, bool, str]]] = {}
        self.site_days = {
            s.id: intersect(whole, self.spans(s.availability, whole)) for s in scenario.sites
        }
        self.views: dict[str, ExerciseView] = {}
        for e in scenario.exercises:
            if stop():
                raise Stopped
            self.views[e.id] = self._view(e)

    def spans(self, windows: list[Window] | None, default: list[Span]) -> list[Span]:
        if not windows:
            return default
        return merge(((w.start - self.origin).days, (w.end - self.origin).days) for w in windows)

    def day(self, offset: int) -> dt.date:
        return self.origin + dt.timedelta(days=offset)

    def window(self, lo: int, hi: int) -> Window:
        return Window.model_construct(start=self.day(lo), end=self.day(hi))

    # labels, in the planners' words
    def nation(self, code: str) -> str:
        n = self.nations.get(code)
        return n.name if n else code

    def unit(self, u: Unit) -> str:
        return f"{u.id} ({self.nation(u.nation)})"

    def site(self, s: Site) -> str:
        return f"{s.name} ({s.id})"

    def ex(self, e: Exercise) -> str:
        return f"{e.name} ({e.id})"

    def days_text(self, view: ExerciseView) -> str:
        d = view.exercise.duration_days
        if view.lo == view.hi:
            pinned = " (pinned)" if view.exercise.pinned and view.exercise.pinned.start else ""
            return f"{d} days starting {self.day(view.lo)}{pinned}"
        return f"{d} days between {self.day(view.lo)} and {self.day(view.hi + d - 1)}"

    def _view(self, e: Exercise) -> ExerciseView:
        window = self.scenario.exercise_window(e)
        d = e.duration_days
        lo, hi = (window.start - self.origin).days, (window.end - self.origin).days - d + 1
        pin = e.pinned
        if pin is not None and pin.start is not None:
            lo = hi = (pin.start - self.origin).days
        sites = self.scenario.eligible_sites(e)
        if pin is not None and pin.site is not None:
            sites = [s for s in sites if s.id == pin.site]
        site_starts = {s.id: start_spans(self.site_days[s.id], d, lo, hi) for s in sites}
        needs = [self._need(e, r.capability, r.units, r.most, lo, hi) for r in e.requirements]
        return ExerciseView(e, lo, hi, needs, sites, site_starts)

    def unit_starts(self, unit_id: str, duration: int, lo: int, hi: int) -> list[Span]:
        """The start days in lo..hi that keep the unit available for `duration` days."""
        return runs_of(self.start_mask(unit_id, duration) & window_mask(lo, hi))

    def start_mask(self, unit_id: str, duration: int) -> int:
        """The unit's start days for `duration` days in a row, as bits (bit s = day s)."""
        return self._start_masks(self.units[unit_id].capability, duration)[unit_id]

    def _start_masks(self, capability: str, duration: int) -> dict[str, int]:
        """`start_mask` of every unit of a capability, computed once per duration."""
        key = (capability, duration)
        masks = self._unit_starts.get(key)
        if masks is None:
            masks = self._unit_starts[key] = {
                u.id: starts_mask(self._day_mask(u.id), duration)
                for u in self.by_capability.get(capability, [])
            }
        return masks

    def _day_mask(self, unit_id: str) -> int:
        bits = self._unit_day_masks.get(unit_id)
        if bits is None:
            bits = self._unit_day_masks[unit_id] = mask(self.unit_days[unit_id])
        return bits

    def _need(self, e: Exercise, capability: str, units: int, most: int, lo: int, hi: int) -> Need:
        need = Need(capability, units, most)
        window = window_mask(lo, hi)
        cap = e.max_personnel
        for u, starts, zero_max, funding in self._unit_facts(capability, e.duration_days):
            bits = starts & window
            if not bits:
                need.excluded.append((u, UNAVAILABLE))
            elif zero_max:
                need.excluded.append((u, "has max_exercises 0"))
            elif cap is not None and u.personnel > cap:
                need.excluded.append((u, f"has {u.personnel} personnel, above max_personnel {cap}"))
            elif funding:
                need.excluded.append((u, funding))
                need.unfunded.append(u)
            else:
                need.counted.append((u, bits))
        return need

    def _unit_facts(self, capability: str, duration: int) -> list[tuple[Unit, int, bool, str]]:
        """Per unit of a capability, what depends on an exercise's duration alone: its start
        days as bits, whether its max_exercises is 0, its nation's funding problem ("" if
        none); computed once per duration."""
        key = (capability, duration)
        facts = self._facts.get(key)
        if facts is None:
            masks = self._start_masks(capability, duration)
            facts = self._facts[key] = [
                (
                    u,
                    masks[u.id],
                    u.max_exercises == 0,
                    funding_problem(self.nations.get(u.nation), u, duration) or "",
                )
                for u in self.by_capability.get(capability, [])
            ]
        return facts


def window_mask(lo: int, hi: int) -> int:
    """The days lo..hi as bits (0 when the span is empty)."""
    return ((1 << (hi - lo + 1)) - 1) << lo if lo <= hi else 0


def funding_problem(nation: Nation | None, u: Unit, days: int) -> str | None:
    if nation is None:
        return None
    if nation.max_exercises == 0:
        return f"{nation.name} has max_exercises 0"
    cost = u.personnel * days
    if nation.budget_person_days is not None and cost > nation.budget_person_days:
        return (
            f"costs {cost} person-days, above {nation.name}'s budget of {nation.budget_person_days}"
        )
    return None


def unavailable_reason(view: ExerciseView) -> str:
    return f"is not available for {view.exercise.duration_days} days in a row there"


def is_short(need: Need) -> bool:
    return len(need.counted) < need.units


def nations_of(view: ExerciseView) -> set[str]:
    return {u.nation for need in view.needs for u, _ in need.counted}


def nation_reach(view: ExerciseView) -> int:
    """The most distinct nations any assignment could bring (max_units caps each need)."""
    return min(len(nations_of(view)), sum(n.most for n in view.needs))


def listing(items: list[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def conflict(
    ix: Index,
    code: str,
    message: str,
    *,
    severity: Severity = "error",
    exercises: Iterable[str] = (),
    units: Iterable[Unit] = (),
    nations: Iterable[str] = (),
    sites: Iterable[str] = (),
    window: Window | None = None,
    pointer: str | None = None,
) -> DataConflict:
    unit_list = list(units)
    nation_codes = list(dict.fromkeys([*nations, *(u.nation for u in unit_list)]))
    return DataConflict(
        code=code,
        severity=severity,
        message=message,
        exercises=list(dict.fromkeys(exercises)),
        units=list(dict.fromkeys(u.id for u in unit_list)),
        nations=nation_codes,
        sites=list(dict.fromkeys(sites)),
        window=window,
        pointer=pointer,
    )


def view_window(ix: Index, view: ExerciseView) -> Window:
    return ix.window(view.lo, view.hi + view.exercise.duration_days - 1)


def index_of(ix: Index, e: Exercise) -> int:
    return next(i for i, x in enumerate(ix.scenario.exercises) if x.id == e.id)
