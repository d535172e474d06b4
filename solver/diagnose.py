"""Data conflicts: what is already wrong in a scenario, seen without solving.

`data_conflicts(scenario)` runs every check below and returns `DataConflict`s, each with a
stable `code`, a `severity` ("error": no calendar can do what the data asks; "warning": the
data is suspicious), a plain-words `message` and the ids it refers to. It never solves:
availability is precomputed once as lists of day spans (offsets from the horizon start), so
a whole programme of hundreds of units is checked in well under a second.

A unit *counts* for an exercise when it has a required capability, is available on every
day of some start in the exercise's window (unit and nation availability minus blackouts),
and nothing else rules it out on its own (its or its nation's `max_exercises` of 0, a nation
budget below its person-days, personnel above the exercise's `max_personnel`). A pinned
start narrows the window to that start; a pinned site narrows the sites to that site.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from solver.scenario import Exercise, Nation, Scenario, Site, Unit, Window

Severity = Literal["error", "warning"]
UNAVAILABLE = ""  # the reason a unit is ruled out most often, spelt out only when shown
Span = tuple[int, int]  # first and last day offset from the horizon start, both included

CONFLICT_CODES: dict[str, str] = {
    "capability_short": "fewer units of a required capability could take part anywhere in "
    "the exercise's window than it needs",
    "min_nations_short": "fewer nations have a unit that could take part than min_nations",
    "no_site_available": "no eligible site is available for the whole duration anywhere in "
    "the window",
    "no_common_start": "each need can be met alone, but on no start day are a site, enough "
    "units and enough nations available together",
    "personnel_over_site_capacity": "the smallest force that meets the requirements is "
    "larger than every eligible site's capacity",
    "personnel_over_max": "the smallest force that meets the requirements is larger than "
    "the exercise's max_personnel",
    "nation_cannot_fund": "a nation's max_exercises or budget_person_days funds none of the "
    "exercises its units could join",
    "pin_site_unavailable": "the pinned site is not available on the pinned days",
    "pin_unit_unavailable": "a pinned unit cannot take part on the pinned days",
    "pin_units_excess": "more units of a capability are pinned than max_units allows",
    "after_impossible": "an exercise's window ends before its predecessor can end plus the gap",
    "predecessor_impossible": "an exercise comes after one that cannot be scheduled",
    "mandatory_impossible": "a mandatory or pinned exercise cannot be scheduled, so every "
    "calendar is infeasible",
    "unit_never_available": "a unit is available on no day of the horizon",
    "overlapping_windows": "two windows of the same list overlap",
    "duplicate_windows": "the same window is listed twice",
}


class DataConflict(BaseModel):
    """One thing wrong in the submitted data, in plain words, with the ids it refers to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    exercises: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    nations: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    window: Window | None = Field(default=None, description="the dates the conflict concerns")
    pointer: str | None = Field(default=None, description="RFC 6901 pointer into the scenario")


# --- day spans ----------------------------------------------------------------------------


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping or adjacent spans joined."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _intersect(xs: list[Span], ys: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if a <= b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(xs: list[Span], ys: list[Span]) -> list[Span]:
    out: list[Span] = []
    j = 0
    for a, b in xs:
        while j < len(ys) and ys[j][1] < a:
            j += 1
        k, cur = j, a
        while k < len(ys) and ys[k][0] <= b:
            if ys[k][0] > cur:
                out.append((cur, ys[k][0] - 1))
            cur = max(cur, ys[k][1] + 1)
            k += 1
        if cur <= b:
            out.append((cur, b))
    return out


def _starts(
    days: list[Span], duration: int, lo: int, hi: int, ends: list[int] | None = None
) -> list[Span]:
    """The start days in lo..hi from which all `duration` days lie in `days` (sorted spans;
    `ends`, their last days, lets it skip the spans that end too early)."""
    out: list[Span] = []
    first_useful = bisect_left(ends, lo + duration - 1) if ends is not None else 0
    for k in range(first_useful, len(days)):
        a, b = days[k]
        if a > hi:
            break
        last = b - duration + 1
        if last < lo:
            continue
        first = a if a > lo else lo
        if last > hi:
            last = hi
        if first <= last:
            out.append((first, last))
    return out


def _count_by_start(groups: Iterable[list[Span]], lo: int, hi: int) -> list[int]:
    """For each start in lo..hi, how many of the groups of start spans include it."""
    diff = [0] * (hi - lo + 2)
    for spans in groups:
        for a, b in spans:
            diff[a - lo] += 1
            diff[b - lo + 1] -= 1
    out, run = [], 0
    for k in range(hi - lo + 1):
        run += diff[k]
        out.append(run)
    return out


# --- the scenario, indexed once -------------------------------------------------------------


@dataclass
class _Need:
    """One requirement of one exercise: the units that count, and the ones ruled out."""

    capability: str
    units: int
    most: int
    counted: list[tuple[Unit, list[Span]]] = field(default_factory=list)
    excluded: list[tuple[Unit, str]] = field(default_factory=list)
    unfunded: list[Unit] = field(default_factory=list)  # ruled out by their nation's limits only


@dataclass
class _ExerciseView:
    exercise: Exercise
    lo: int
    hi: int
    needs: list[_Need]
    sites: list[Site]
    site_starts: dict[str, list[Span]]


class _Index:
    def __init__(self, scenario: Scenario):
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
            n.code: _subtract(
                _intersect(whole, self.spans(n.availability, whole)), self.spans(n.blackouts, [])
            )
            for n in scenario.nations
        }
        self.unit_days: dict[str, list[Span]] = {}
        for u in scenario.units:
            days = _intersect(nation_days.get(u.nation, whole), self.spans(u.availability, whole))
            self.unit_days[u.id] = _subtract(days, self.spans(u.blackouts, []))
        self.unit_ends = {key: [b for _, b in days] for key, days in self.unit_days.items()}
        self.site_days = {
            s.id: _intersect(whole, self.spans(s.availability, whole)) for s in scenario.sites
        }
        self.views = {e.id: self._view(e) for e in scenario.exercises}

    def spans(self, windows: list[Window] | None, default: list[Span]) -> list[Span]:
        if not windows:
            return default
        return _merge(((w.start - self.origin).days, (w.end - self.origin).days) for w in windows)

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

    def days_text(self, view: _ExerciseView) -> str:
        d = view.exercise.duration_days
        if view.lo == view.hi:
            pinned = " (pinned)" if view.exercise.pinned and view.exercise.pinned.start else ""
            return f"{d} days starting {self.day(view.lo)}{pinned}"
        return f"{d} days between {self.day(view.lo)} and {self.day(view.hi + d - 1)}"

    def _view(self, e: Exercise) -> _ExerciseView:
        window = self.scenario.exercise_window(e)
        d = e.duration_days
        lo, hi = (window.start - self.origin).days, (window.end - self.origin).days - d + 1
        pin = e.pinned
        if pin is not None and pin.start is not None:
            lo = hi = (pin.start - self.origin).days
        sites = self.scenario.eligible_sites(e)
        if pin is not None and pin.site is not None:
            sites = [s for s in sites if s.id == pin.site]
        site_starts = {s.id: _starts(self.site_days[s.id], d, lo, hi) for s in sites}
        needs = [self._need(e, r.capability, r.units, r.most, lo, hi) for r in e.requirements]
        return _ExerciseView(e, lo, hi, needs, sites, site_starts)

    def _need(self, e: Exercise, capability: str, units: int, most: int, lo: int, hi: int) -> _Need:
        need = _Need(capability, units, most)
        d = e.duration_days
        for u in self.by_capability.get(capability, []):
            starts = _starts(self.unit_days[u.id], d, lo, hi, self.unit_ends[u.id])
            if not starts:
                need.excluded.append((u, UNAVAILABLE))
            elif u.max_exercises == 0:
                need.excluded.append((u, "has max_exercises 0"))
            elif e.max_personnel is not None and u.personnel > e.max_personnel:
                need.excluded.append(
                    (u, f"has {u.personnel} personnel, above max_personnel {e.max_personnel}")
                )
            elif funding := _funding_problem(self.nations.get(u.nation), u, d):
                need.excluded.append((u, funding))
                need.unfunded.append(u)
            else:
                need.counted.append((u, starts))
        return need


def _funding_problem(nation: Nation | None, u: Unit, days: int) -> str | None:
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


def _unavailable(view: _ExerciseView) -> str:
    return f"is not available for {view.exercise.duration_days} days in a row there"


def _short(need: _Need) -> bool:
    return len(need.counted) < need.units


def _nations_of(view: _ExerciseView) -> set[str]:
    return {u.nation for need in view.needs for u, _ in need.counted}


def _nation_reach(view: _ExerciseView) -> int:
    """The most distinct nations any assignment could bring (max_units caps each need)."""
    return min(len(_nations_of(view)), sum(n.most for n in view.needs))


def _listing(items: list[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def _conflict(
    ix: _Index,
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


def _view_window(ix: _Index, view: _ExerciseView) -> Window:
    return ix.window(view.lo, view.hi + view.exercise.duration_days - 1)


def _index_of(ix: _Index, e: Exercise) -> int:
    return next(i for i, x in enumerate(ix.scenario.exercises) if x.id == e.id)


# --- the checks, one per conflict -----------------------------------------------------------


def capability_short(ix: _Index) -> Iterator[DataConflict]:
    """Error: fewer units of a required capability could take part than the exercise needs."""
    for view in ix.views.values():
        e = view.exercise
        for need in view.needs:
            if not _short(need):
                continue
            counted = [ix.unit(u) for u, _ in need.counted]
            declared = len(ix.by_capability.get(need.capability, []))
            if not counted:
                have = f"none of the {declared} declared could take part"
            elif len(counted) == declared:
                have = f"only {declared} {'is' if declared == 1 else 'are'} declared: {_listing(counted)}"
            else:
                have = (
                    f"only {len(counted)} of the {declared} declared could take part: "
                    f"{_listing(counted)}"
                )
            ruled_out = "; ".join(
                f"{ix.unit(u)} {why or _unavailable(view)}" for u, why in need.excluded[:6]
            )
            more = f" ({len(need.excluded) - 6} more ruled out)" if len(need.excluded) > 6 else ""
            yield _conflict(
                ix,
                "capability_short",
                f"{ix.ex(e)} needs {need.units} {need.capability} unit(s) for "
                f"{ix.days_text(view)}, but {have}."
                + (f" Ruled out: {ruled_out}{more}." if ruled_out else ""),
                exercises=[e.id],
                units=[*(u for u, _ in need.counted), *(u for u, _ in need.excluded)],
                window=_view_window(ix, view),
            )


def min_nations_short(ix: _Index) -> Iterator[DataConflict]:
    """Error: fewer nations could send a unit than the exercise's `min_nations`."""
    for view in ix.views.values():
        e = view.exercise
        if e.min_nations <= 1 or _nation_reach(view) >= e.min_nations:
            continue
        nations = sorted(_nations_of(view))
        names = [ix.nation(c) for c in nations]
        most = sum(n.most for n in view.needs)
        if len(nations) >= e.min_nations:
            why = f"at most {most} units can be assigned (max_units), so at most {most} nations"
        elif nations:
            why = f"units from only {len(nations)} could take part: {_listing(names)}"
        else:
            why = "no nation has a unit that could take part"
        yield _conflict(
            ix,
            "min_nations_short",
            f"{ix.ex(e)} needs units from at least {e.min_nations} nations for "
            f"{ix.days_text(view)}, but {why}.",
            exercises=[e.id],
            nations=nations,
            window=_view_window(ix, view),
        )


def no_site_available(ix: _Index) -> Iterator[DataConflict]:
    """Error: no eligible site is available for the whole duration anywhere in the window."""
    for view in ix.views.values():
        e = view.exercise
        if any(view.site_starts.values()):
            continue
        if view.sites:
            why = "none of its eligible sites is available then: " + _listing(
                [ix.site(s) for s in view.sites]
            )
        elif e.sites is not None:
            why = "its list of sites is empty"
        else:
            why = f"no site supports {e.type.replace('_', ' ')} exercises"
        yield _conflict(
            ix,
            "no_site_available",
            f"{ix.ex(e)} needs a site for {ix.days_text(view)}, but {why}.",
            exercises=[e.id],
            sites=[s.id for s in view.sites],
            window=_view_window(ix, view),
        )


def personnel_over_limits(ix: _Index) -> Iterator[DataConflict]:
    """Error: the smallest force meeting the requirements exceeds max_personnel or every site."""
    for view in ix.views.values():
        e = view.exercise
        if any(_short(n) for n in view.needs):
            continue
        least = sum(sum(sorted(u.personnel for u, _ in n.counted)[: n.units]) for n in view.needs)
        if e.max_personnel is not None and least > e.max_personnel:
            yield _conflict(
                ix,
                "personnel_over_max",
                f"{ix.ex(e)} allows at most {e.max_personnel} personnel, but the smallest "
                f"units that meet its requirements bring {least}.",
                exercises=[e.id],
                window=_view_window(ix, view),
            )
        open_sites = [s for s in view.sites if view.site_starts[s.id]]
        if open_sites and all(
            s.capacity_personnel is not None and least > s.capacity_personnel for s in open_sites
        ):
            caps = [f"{ix.site(s)} holds {s.capacity_personnel}" for s in open_sites]
            yield _conflict(
                ix,
                "personnel_over_site_capacity",
                f"{ix.ex(e)} needs at least {least} personnel on site, more than any eligible "
                f"site can hold: {_listing(caps)}.",
                exercises=[e.id],
                sites=[s.id for s in open_sites],
                window=_view_window(ix, view),
            )


def nation_cannot_fund(ix: _Index) -> Iterator[DataConflict]:
    """Error when needed, else warning: a nation's limits fund none of the exercises it could join."""
    limited = {
        n.code
        for n in ix.scenario.nations
        if n.max_exercises == 0 or n.budget_person_days is not None
    }
    # nation -> exercise id -> cheapest cost and unit; nation -> exercises short without it
    joinable_by: dict[str, dict[str, tuple[int, Unit]]] = {c: {} for c in limited}
    needed_by: dict[str, list[str]] = {c: [] for c in limited}
    for view in ix.views.values():
        d = view.exercise.duration_days
        for need in view.needs:
            for u in [*(u for u, _ in need.counted), *need.unfunded]:
                if u.nation not in limited:
                    continue
                best = joinable_by[u.nation].get(view.exercise.id)
                if best is None or u.personnel * d < best[0]:
                    joinable_by[u.nation][view.exercise.id] = (u.personnel * d, u)
            if _short(need):
                for code in dict.fromkeys(u.nation for u in need.unfunded if u.nation in limited):
                    needed_by[code].append(view.exercise.id)
    for nation in ix.scenario.nations:
        if nation.code not in limited:
            continue
        joinable = joinable_by[nation.code]
        needed = list(dict.fromkeys(needed_by[nation.code]))
        if not joinable:
            continue
        exercises = [ix.ex(ix.exercises[x]) for x in joinable]
        if nation.max_exercises == 0:
            why = "has max_exercises 0"
        else:
            where, (cost, unit) = min(joinable.items(), key=lambda item: item[1][0])
            if cost <= (nation.budget_person_days or 0):
                continue
            why = (
                f"has a budget of {nation.budget_person_days} person-days, but its cheapest "
                f"participation ({ix.unit(unit)} in {where}) costs {cost}"
            )
        yield _conflict(
            ix,
            "nation_cannot_fund",
            f"{nation.name} {why}, so it can fund none of the {len(joinable)} exercise(s) its "
            f"units could join: {_listing(exercises)}."
            + (f" It is needed for {_listing(needed)}." if needed else ""),
            severity="error" if needed else "warning",
            exercises=list(joinable),
            nations=[nation.code],
        )


def pin_conflicts(ix: _Index) -> Iterator[DataConflict]:
    """Error: a pinned site or unit cannot be there on the pinned days, or too many are pinned."""
    for view in ix.views.values():
        e, pin = view.exercise, view.exercise.pinned
        if pin is None:
            continue
        i = _index_of(ix, e)
        site = ix.sites.get(pin.site) if pin.site else None
        if site is not None and not view.site_starts.get(site.id):
            yield _conflict(
                ix,
                "pin_site_unavailable",
                f"{ix.ex(e)} is pinned to {ix.site(site)}, which is "
                f"{_missing(ix, view, ix.site_days[site.id])}.",
                exercises=[e.id],
                sites=[site.id],
                window=_view_window(ix, view),
                pointer=f"/exercises/{i}/pinned/site",
            )
        for j, uid in enumerate(pin.units or []):
            u = ix.units.get(uid)
            need = next((n for n in view.needs if u and n.capability == u.capability), None)
            if u is None or need is None or any(c.id == uid for c, _ in need.counted):
                continue
            why = next(w for c, w in need.excluded if c.id == uid)
            if why == UNAVAILABLE:
                why = "is " + _missing(ix, view, ix.unit_days[uid])
            yield _conflict(
                ix,
                "pin_unit_unavailable",
                f"{ix.ex(e)} is pinned with {ix.unit(u)}, which {why}.",
                exercises=[e.id],
                units=[u],
                window=_view_window(ix, view),
                pointer=f"/exercises/{i}/pinned/units/{j}",
            )
        for need in view.needs:
            pinned = [ix.units[x] for x in pin.units or [] if x in ix.units]
            pinned = [u for u in pinned if u.capability == need.capability]
            if len(pinned) > need.most:
                yield _conflict(
                    ix,
                    "pin_units_excess",
                    f"{ix.ex(e)} takes at most {need.most} {need.capability} unit(s), but "
                    f"{len(pinned)} are pinned: {_listing([ix.unit(u) for u in pinned])}.",
                    exercises=[e.id],
                    units=pinned,
                    pointer=f"/exercises/{i}/pinned/units",
                )


def _missing(ix: _Index, view: _ExerciseView, days: list[Span]) -> str:
    d = view.exercise.duration_days
    if view.lo != view.hi:
        return f"not available for {d} days in a row between {ix.day(view.lo)} and " + str(
            ix.day(view.hi + d - 1)
        )
    gaps = _subtract([(view.lo, view.lo + d - 1)], days)
    text = ", ".join(str(ix.day(a)) if a == b else f"{ix.day(a)}..{ix.day(b)}" for a, b in gaps[:4])
    return f"not available on {text} of the pinned days"


def after_impossible(ix: _Index) -> Iterator[DataConflict]:
    """Error: the predecessor cannot end early enough for the exercise to start in its window."""
    for view in ix.views.values():
        e = view.exercise
        for j, link in enumerate(e.after):
            before = ix.views.get(link.exercise)
            if before is None:
                continue
            earliest_end = before.lo + before.exercise.duration_days - 1
            earliest_start = earliest_end + link.gap_days + 1
            if earliest_start > view.hi:
                yield _conflict(
                    ix,
                    "after_impossible",
                    f"{ix.ex(e)} must start at least {link.gap_days} day(s) after "
                    f"{ix.ex(before.exercise)} ends, which is {ix.day(earliest_end)} at the "
                    f"earliest; so it could start {ix.day(earliest_start)} at the earliest, "
                    f"after its last possible start {ix.day(view.hi)}.",
                    exercises=[e.id, before.exercise.id],
                    window=_view_window(ix, view),
                    pointer=f"/exercises/{_index_of(ix, e)}/after/{j}",
                )


def no_common_start(ix: _Index, skip: set[str]) -> Iterator[DataConflict]:
    """Error: on no start day are a site, enough units and enough nations available together."""
    for view in ix.views.values():
        e = view.exercise
        if e.id in skip or view.hi < view.lo:
            continue
        lo, hi = view.lo, view.hi
        ok = [c >= 1 for c in _count_by_start(view.site_starts.values(), lo, hi)]
        for need in view.needs:
            counts = _count_by_start((s for _, s in need.counted), lo, hi)
            ok = [a and c >= need.units for a, c in zip(ok, counts, strict=True)]
        by_nation: dict[str, list[Span]] = {}
        for need in view.needs:
            for u, s in need.counted:
                by_nation.setdefault(u.nation, []).extend(s)
        counts = _count_by_start((_merge(s) for s in by_nation.values()), lo, hi)
        ok = [a and c >= e.min_nations for a, c in zip(ok, counts, strict=True)]
        if not any(ok):
            yield _conflict(
                ix,
                "no_common_start",
                f"{ix.ex(e)} has, on no start day of {ix.days_text(view)}, a site and enough "
                f"units from enough nations available together for all {e.duration_days} days.",
                exercises=[e.id],
                units=[u for n in view.needs for u, _ in n.counted],
                sites=[s.id for s in view.sites],
                window=_view_window(ix, view),
            )


def blocked_by_predecessors(ix: _Index, blocked: set[str]) -> Iterator[DataConflict]:
    """Error: an exercise comes after one that cannot be scheduled (transitively)."""
    changed = True
    while changed:
        changed = False
        for e in ix.scenario.exercises:
            if e.id in blocked:
                continue
            bad = [a.exercise for a in e.after if a.exercise in blocked]
            if bad:
                blocked.add(e.id)
                changed = True
                names = [ix.ex(ix.exercises[x]) for x in bad]
                yield _conflict(
                    ix,
                    "predecessor_impossible",
                    f"{ix.ex(e)} may only be scheduled after {_listing(names)}, which cannot "
                    "be scheduled.",
                    exercises=[e.id, *bad],
                )


def mandatory_impossible(ix: _Index, found: list[DataConflict]) -> Iterator[DataConflict]:
    """Error: a mandatory or pinned exercise cannot be scheduled, so no calendar is feasible."""
    causes: dict[str, list[str]] = {}
    for c in found:
        if c.severity == "error" and c.exercises and c.code != "nation_cannot_fund":
            causes.setdefault(c.exercises[0], []).append(c.code)
    for e in ix.scenario.exercises:
        if not (e.mandatory or e.pinned) or e.id not in causes:
            continue
        kind = "mandatory" if e.mandatory else "pinned"
        codes = ", ".join(dict.fromkeys(causes[e.id]))
        yield _conflict(
            ix,
            "mandatory_impossible",
            f"{ix.ex(e)} is {kind} but cannot be scheduled ({codes}), so every calendar of "
            "this programme is infeasible.",
            exercises=[e.id],
        )


def unit_never_available(ix: _Index) -> Iterator[DataConflict]:
    """Warning: a unit is available on no day of the horizon."""
    for i, u in enumerate(ix.scenario.units):
        if not ix.unit_days[u.id]:
            yield _conflict(
                ix,
                "unit_never_available",
                f"{ix.unit(u)} is available on no day of the horizon "
                f"{ix.scenario.horizon.start}..{ix.scenario.horizon.end} once its and "
                f"{ix.nation(u.nation)}'s availability and blackouts are applied.",
                severity="warning",
                units=[u],
                pointer=f"/units/{i}",
            )


def overlapping_windows(ix: _Index) -> Iterator[DataConflict]:
    """Warning: two windows of the same availability or blackout list overlap or repeat."""
    s = ix.scenario
    lists: list[tuple[str, str, list[Window] | None, dict[str, list[str]]]] = []
    for i, n in enumerate(s.nations):
        for key in ("availability", "blackouts"):
            lists.append((f"/nations/{i}/{key}", n.name, getattr(n, key), {"nations": [n.code]}))
    for i, u in enumerate(s.units):
        for key in ("availability", "blackouts"):
            lists.append((f"/units/{i}/{key}", ix.unit(u), getattr(u, key), {"units": [u.id]}))
    for i, site in enumerate(s.sites):
        lists.append(
            (f"/sites/{i}/availability", ix.site(site), site.availability, {"sites": [site.id]})
        )
    for where, owner, windows, ids in lists:
        if not windows or len(windows) < 2:
            continue
        order = sorted(range(len(windows)), key=lambda k: (windows[k].start, windows[k].end))
        for a, b in zip(order, order[1:], strict=False):
            w, v = windows[a], windows[b]
            if v.start > w.end:
                continue
            same = (w.start, w.end) == (v.start, v.end)
            what = "availability" if where.endswith("availability") else "blackout"
            yield DataConflict(
                code="duplicate_windows" if same else "overlapping_windows",
                severity="warning",
                message=(
                    f"{owner} lists the {what} window {w.start}..{w.end} twice."
                    if same
                    else f"{owner}'s {what} windows {w.start}..{w.end} and "
                    f"{v.start}..{v.end} overlap."
                ),
                window=Window.model_construct(start=v.start, end=min(w.end, v.end)),
                pointer=f"{where}/{max(a, b)}",
                **ids,
            )


def data_conflicts(scenario: Scenario) -> list[DataConflict]:
    """Every data conflict of a valid scenario: errors first, each group in check order."""
    ix = _Index(scenario)
    found: list[DataConflict] = []
    found += capability_short(ix)
    found += min_nations_short(ix)
    found += no_site_available(ix)
    found += personnel_over_limits(ix)
    found += pin_conflicts(ix)
    found += after_impossible(ix)
    erring = {c.exercises[0] for c in found if c.severity == "error"}
    found += no_common_start(ix, erring)
    blocked = {c.exercises[0] for c in found if c.severity == "error"}
    found += nation_cannot_fund(ix)
    found += blocked_by_predecessors(ix, blocked)
    found += mandatory_impossible(ix, found)
    found += unit_never_available(ix)
    found += overlapping_windows(ix)
    return sorted(found, key=lambda c: c.severity != "error")
