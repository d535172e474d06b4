"""The independent checker: re-verifies a calendar against its scenario, rule by rule.

Written from the contract (`docs/scenario.md`, "The hard rules a calendar must keep" and "The
figures a calendar is judged by"), and sharing no code with the model: it works on calendar
dates directly, one rule per function, so that a bug in the model cannot hide in here too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from solver.calendar import Calendar, Kpi, ScheduledExercise
from solver.scenario import Exercise, Scenario, Window

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its number in the contract (0 for the figures), a code and plain words."""

    rule: int
    code: str
    message: str
    exercise: str | None = None


@dataclass(slots=True)
class CheckResult:
    violations: list[Violation] = field(default_factory=list)
    kpi: Kpi = field(default_factory=Kpi)

    @property
    def ok(self) -> bool:
        return not self.violations


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _in_any(day: dt.date, windows: list[Window] | None) -> bool:
    """In one of the windows; no windows (None or []) puts no limit."""
    return not windows or any(w.start <= day <= w.end for w in windows)


def _in_none(day: dt.date, windows: list[Window]) -> bool:
    return not any(w.start <= day <= w.end for w in windows)


class _Context:
    """Look-ups over the scenario and the calendar, built once."""

    def __init__(self, scenario: Scenario, calendar: Calendar):
        self.scenario = scenario
        self.calendar = calendar
        self.nations = {n.code: n for n in scenario.nations}
        self.units = {u.id: u for u in scenario.units}
        self.sites = {s.id: s for s in scenario.sites}
        self.exercises = {e.id: e for e in scenario.exercises}
        # Only entries that name a known exercise are checked against the other rules.
        self.placed: list[tuple[ScheduledExercise, Exercise]] = [
            (entry, self.exercises[entry.exercise])
            for entry in calendar.scheduled
            if entry.exercise in self.exercises
        ]
        self.by_exercise = {entry.exercise: entry for entry, _ in self.placed}

    def unit_available(self, unit_id: str, day: dt.date) -> bool:
        unit = self.units[unit_id]
        nation = self.nations.get(unit.nation)
        horizon = self.scenario.horizon
        return (
            horizon.start <= day <= horizon.end
            and _in_any(day, unit.availability)
            and (nation is None or _in_any(day, nation.availability))
            and _in_none(day, unit.blackouts)
            and (nation is None or _in_none(day, nation.blackouts))
        )

    def known_units(self, entry: ScheduledExercise) -> list[str]:
        return [u for u in entry.units if u in self.units]


def rule_1_every_exercise_once(ctx: _Context) -> Iterator[Violation]:
    """Every exercise appears exactly once, in scheduled or unscheduled; ids refer to the scenario."""
    seen = Counter(
        [s.exercise for s in ctx.calendar.scheduled]
        + [u.exercise for u in ctx.calendar.unscheduled]
    )
    for exercise_id, count in seen.items():
        if exercise_id not in ctx.exercises:
            yield Violation(
                1, "unknown_exercise", f"{exercise_id} is not in the scenario", exercise_id
            )
        elif count > 1:
            yield Violation(1, "listed_twice", f"{exercise_id} appears {count} times", exercise_id)
    for exercise_id in ctx.exercises:
        if exercise_id not in seen:
            yield Violation(
                1, "missing", f"{exercise_id} is neither scheduled nor unscheduled", exercise_id
            )
    for item in ctx.calendar.unscheduled:
        if not item.reasons:
            yield Violation(
                1, "no_reason", f"{item.exercise} is unscheduled without a reason", item.exercise
            )


def rule_2_dates(ctx: _Context) -> Iterator[Violation]:
    """end = start + duration - 1; start..end inside the exercise's window and the horizon."""
    horizon = ctx.scenario.horizon
    for entry, exercise in ctx.placed:
        expected_end = entry.start + dt.timedelta(days=exercise.duration_days - 1)
        if entry.end != expected_end:
            yield Violation(
                2,
                "wrong_end",
                f"{exercise.id} starts {entry.start} and lasts {exercise.duration_days} days, "
                f"so it ends {expected_end}, not {entry.end}",
                exercise.id,
            )
        for name, window in (("horizon", horizon), ("window", exercise.window)):
            if window is not None and not (
                window.start <= entry.start and expected_end <= window.end
            ):
                yield Violation(
                    2,
                    f"outside_{name}",
                    f"{exercise.id} runs {entry.start}..{expected_end}, outside its {name} "
                    f"{window.start}..{window.end}",
                    exercise.id,
                )


def rule_3_site(ctx: _Context) -> Iterator[Violation]:
    """The site is eligible, available every day, and never over `concurrent` or capacity."""
    per_day: dict[tuple[str, dt.date], list[tuple[str, int]]] = defaultdict(list)
    for entry, exercise in ctx.placed:
        site = ctx.sites.get(entry.site)
        if site is None:
            yield Violation(
                3, "unknown_site", f"{exercise.id} is at unknown site {entry.site}", exercise.id
            )
            continue
        eligible = (
            entry.site in exercise.sites
            if exercise.sites is not None
            else (site.supports is None or exercise.type in site.supports)
        )
        if not eligible:
            yield Violation(
                3, "ineligible_site", f"{site.id} is not eligible for {exercise.id}", exercise.id
            )
        personnel = sum(ctx.units[u].personnel for u in set(ctx.known_units(entry)))
        end = entry.start + dt.timedelta(days=exercise.duration_days - 1)
        closed = [d for d in _days(entry.start, end) if not _in_any(d, site.availability)]
        if closed:
            yield Violation(
                3,
                "site_unavailable",
                f"{site.id} is not available on {closed[0]} for {exercise.id}",
                exercise.id,
            )
        for day in _days(entry.start, end):
            per_day[(site.id, day)].append((exercise.id, personnel))
    reported: set[tuple[str, str]] = set()
    for (site_id, day), hosted in sorted(per_day.items()):
        site = ctx.sites[site_id]
        if len(hosted) > site.concurrent and (site_id, "concurrent") not in reported:
            reported.add((site_id, "concurrent"))
            names = ", ".join(e for e, _ in hosted)
            yield Violation(
                3,
                "site_concurrent",
                f"{site_id} hosts {len(hosted)} exercises on {day} ({names}); at most {site.concurrent}",
            )
        total = sum(p for _, p in hosted)
        over = site.capacity_personnel is not None and total > site.capacity_personnel
        if over and (site_id, "capacity") not in reported:
            reported.add((site_id, "capacity"))
            yield Violation(
                3,
                "site_capacity",
                f"{site_id} has {total} personnel on {day}; capacity {site.capacity_personnel}",
            )


def rule_4_requirements(ctx: _Context) -> Iterator[Violation]:
    """Units have a required capability; each requirement gets units..max_units; no unit twice."""
    for entry, exercise in ctx.placed:
        for unit_id, count in Counter(entry.units).items():
            if count > 1:
                yield Violation(
                    4,
                    "unit_twice",
                    f"{unit_id} is listed {count} times in {exercise.id}",
                    exercise.id,
                )
        known = set(ctx.known_units(entry))
        for unit_id in sorted(set(entry.units) - known):
            yield Violation(
                4, "unknown_unit", f"{exercise.id} names unknown unit {unit_id}", exercise.id
            )
        wanted = {r.capability: r for r in exercise.requirements}
        have = Counter(ctx.units[u].capability for u in known)
        for capability, count in have.items():
            if capability not in wanted:
                yield Violation(
                    4,
                    "capability_not_required",
                    f"{exercise.id} does not require {capability}, yet has {count} such unit(s)",
                    exercise.id,
                )
        for capability, req in wanted.items():
            most = req.units if req.max_units is None else req.max_units
            if not (req.units <= have[capability] <= most):
                yield Violation(
                    4,
                    "requirement_count",
                    f"{exercise.id} needs {req.units}..{most} {capability} unit(s), has {have[capability]}",
                    exercise.id,
                )


def rule_5_units(ctx: _Context) -> Iterator[Violation]:
    """Units available every day; `rest_days` between two exercises; at most `max_exercises`."""
    spans: dict[str, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for entry, exercise in ctx.placed:
        end = entry.start + dt.timedelta(days=exercise.duration_days - 1)
        for unit_id in sorted(set(ctx.known_units(entry))):
            away = [d for d in _days(entry.start, end) if not ctx.unit_available(unit_id, d)]
            if away:
                yield Violation(
                    5,
                    "unit_unavailable",
                    f"{unit_id} is not available on {away[0]} for {exercise.id}",
                    exercise.id,
                )
            spans[unit_id].append((entry.start, end, exercise.id))
    for unit_id, items in spans.items():
        unit = ctx.units[unit_id]
        if unit.max_exercises is not None and len(items) > unit.max_exercises:
            yield Violation(
                5,
                "unit_max_exercises",
                f"{unit_id} takes part in {len(items)} exercises; at most {unit.max_exercises}",
            )
        items.sort()
        for i, (s1, e1, x1) in enumerate(items):
            for s2, _e2, x2 in items[i + 1 :]:
                free_days = (s2 - e1).days - 1
                if free_days < unit.rest_days:
                    yield Violation(
                        5,
                        "unit_rest_days",
                        f"{unit_id} has {max(free_days, 0) if s2 > e1 else 'no'} free days between "
                        f"{x1} ({s1}..{e1}) and {x2} (from {s2}); needs {unit.rest_days}",
                    )


def rule_6_nations_and_personnel(ctx: _Context) -> Iterator[Violation]:
    """At least `min_nations` distinct nations; personnel at most `max_personnel`."""
    for entry, exercise in ctx.placed:
        known = set(ctx.known_units(entry))
        nations = {ctx.units[u].nation for u in known}
        if len(nations) < exercise.min_nations:
            yield Violation(
                6,
                "min_nations",
                f"{exercise.id} has units of {len(nations)} nation(s); needs {exercise.min_nations}",
                exercise.id,
            )
        personnel = sum(ctx.units[u].personnel for u in known)
        if exercise.max_personnel is not None and personnel > exercise.max_personnel:
            yield Violation(
                6,
                "max_personnel",
                f"{exercise.id} has {personnel} personnel; at most {exercise.max_personnel}",
                exercise.id,
            )


def rule_7_nation_limits(ctx: _Context) -> Iterator[Violation]:
    """A nation joins at most `max_exercises` exercises; person-days within its budget."""
    joined: Counter[str] = Counter()
    person_days: Counter[str] = Counter()
    for entry, exercise in ctx.placed:
        known = set(ctx.known_units(entry))
        for nation in {ctx.units[u].nation for u in known}:
            joined[nation] += 1
        for unit_id in known:
            person_days[ctx.units[unit_id].nation] += (
                ctx.units[unit_id].personnel * exercise.duration_days
            )
    for code, nation in ctx.nations.items():
        if nation.max_exercises is not None and joined[code] > nation.max_exercises:
            yield Violation(
                7,
                "nation_max_exercises",
                f"{nation.name} takes part in {joined[code]} exercises; at most {nation.max_exercises}",
            )
        if nation.budget_person_days is not None and person_days[code] > nation.budget_person_days:
            yield Violation(
                7,
                "nation_budget",
                f"{nation.name} funds {person_days[code]} person-days; budget {nation.budget_person_days}",
            )


def rule_8_after(ctx: _Context) -> Iterator[Violation]:
    """Predecessors are scheduled, and it starts at least `gap_days` after each one ends."""
    for entry, exercise in ctx.placed:
        for link in exercise.after:
            before = ctx.by_exercise.get(link.exercise)
            if before is None:
                yield Violation(
                    8,
                    "after_unscheduled",
                    f"{exercise.id} is scheduled but its predecessor {link.exercise} is not",
                    exercise.id,
                )
                continue
            before_end = before.start + dt.timedelta(
                days=ctx.exercises[link.exercise].duration_days - 1
            )
            earliest = before_end + dt.timedelta(days=link.gap_days + 1)
            if entry.start < earliest:
                yield Violation(
                    8,
                    "after_gap",
                    f"{exercise.id} starts {entry.start}; after {link.exercise} (ends {before_end}) "
                    f"with {link.gap_days} gap day(s) it may start {earliest} at the earliest",
                    exercise.id,
                )


def rule_9_pins_and_mandatory(ctx: _Context) -> Iterator[Violation]:
    """Pins are kept; mandatory and pinned exercises are scheduled; no calendar means empty."""
    status = ctx.calendar.status
    if status in ("infeasible", "unknown"):
        # No calendar proposed: proven impossible, or none found in time.
        if ctx.calendar.scheduled:
            yield Violation(9, f"{status}_not_empty", f"an {status} calendar must schedule nothing")
        return
    for exercise in ctx.exercises.values():
        entry = ctx.by_exercise.get(exercise.id)
        must = exercise.mandatory or exercise.pinned is not None
        if entry is None:
            if must:
                kind = "mandatory" if exercise.mandatory else "pinned"
                yield Violation(
                    9, f"{kind}_unscheduled", f"{kind} {exercise.id} is not scheduled", exercise.id
                )
            continue
        pin = exercise.pinned
        if pin is None:
            continue
        if pin.start is not None and entry.start != pin.start:
            yield Violation(
                9,
                "pin_start",
                f"{exercise.id} is pinned to start {pin.start}, not {entry.start}",
                exercise.id,
            )
        if pin.site is not None and entry.site != pin.site:
            yield Violation(
                9,
                "pin_site",
                f"{exercise.id} is pinned to {pin.site}, not {entry.site}",
                exercise.id,
            )
        for unit_id in pin.units or []:
            if unit_id not in entry.units:
                yield Violation(
                    9,
                    "pin_unit",
                    f"{exercise.id} is pinned with {unit_id}, which is missing",
                    exercise.id,
                )


HARD_RULES = (
    rule_1_every_exercise_once,
    rule_2_dates,
    rule_3_site,
    rule_4_requirements,
    rule_5_units,
    rule_6_nations_and_personnel,
    rule_7_nation_limits,
    rule_8_after,
    rule_9_pins_and_mandatory,
)


def figures(scenario: Scenario, calendar: Calendar) -> Kpi:
    """The three figures of the contract, recomputed from the scheduled entries."""
    exercises = {e.id: e for e in scenario.exercises}
    units = {u.id: u for u in scenario.units}
    kpi = Kpi()
    for entry in calendar.scheduled:
        exercise = exercises.get(entry.exercise)
        if exercise is None:
            continue
        kpi.priority_scheduled += exercise.priority
        kpi.nation_participations += len({units[u].nation for u in entry.units if u in units})
        if exercise.preferred_months and entry.start.month in exercise.preferred_months:
            kpi.preferred_month_hits += 1
    return kpi


def desired_exercises_met(scenario: Scenario, calendar: Calendar) -> int:
    """The wish figure after the three: over nations with `desired_exercises`, the scheduled
    exercises each takes part in, counted up to its wish."""
    units = {u.id: u for u in scenario.units}
    joined: dict[str, int] = {}
    for entry in calendar.scheduled:
        for code in {units[u].nation for u in entry.units if u in units}:
            joined[code] = joined.get(code, 0) + 1
    return sum(
        min(joined.get(n.code, 0), n.desired_exercises)
        for n in scenario.nations
        if n.desired_exercises is not None
    )


def travel_km(scenario: Scenario, calendar: Calendar) -> float:
    """The travel after the figures: over scheduled entries, the great-circle km (haversine,
    mean Earth radius 6371.0088 km) from each assigned unit's `home` to the entry's site
    `location`, where both are given."""
    units = {u.id: u for u in scenario.units}
    sites = {s.id: s for s in scenario.sites}
    total = 0.0
    for entry in calendar.scheduled:
        site = sites.get(entry.site)
        if site is None or site.location is None:
            continue
        to = site.location
        for uid in set(entry.units):
            home = units[uid].home if uid in units else None
            if home is None:
                continue
            p1, p2 = math.radians(home.lat), math.radians(to.lat)
            a = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(to.lon - home.lon) / 2) ** 2
            )
            total += 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
    return total


def exercise_days(calendar: Calendar) -> dict[dt.date, int]:
    """How many scheduled entries run on each day (from their start and end)."""
    running: dict[dt.date, int] = {}
    for entry in calendar.scheduled:
        day = entry.start
        while day <= entry.end:
            running[day] = running.get(day, 0) + 1
            day += dt.timedelta(days=1)
    return running


def exercise_spread(calendar: Calendar) -> tuple[int, dict[str, int]]:
    """The spread over the year: the most entries running on one day, and the exercise-days
    of each month (`YYYY-MM`)."""
    running = exercise_days(calendar)
    months: dict[str, int] = {}
    for day, n in running.items():
        key = f"{day.year:04d}-{day.month:02d}"
        months[key] = months.get(key, 0) + n
    return max(running.values(), default=0), months


def check_calendar(scenario: Scenario, calendar: Calendar) -> CheckResult:
    """Every hard rule (1-9) and the figures; `ok` when nothing is broken."""
    ctx = _Context(scenario, calendar)
    result = CheckResult(kpi=figures(scenario, calendar))
    for rule in HARD_RULES:
        result.violations.extend(rule(ctx))
    if calendar.kpi.as_tuple() != result.kpi.as_tuple():
        result.violations.append(
            Violation(
                0,
                "kpi_mismatch",
                f"the calendar reports figures {calendar.kpi.as_tuple()}, the scheduled entries "
                f"give {result.kpi.as_tuple()}",
            )
        )
    claimed = calendar.stats.desired_exercises_met if calendar.stats is not None else None
    if claimed is not None and claimed != desired_exercises_met(scenario, calendar):
        result.violations.append(
            Violation(
                0,
                "wishes_mismatch",
                f"the calendar reports {claimed} desired exercises met, the scheduled entries "
                f"give {desired_exercises_met(scenario, calendar)}",
            )
        )
    claimed_km = calendar.stats.travel_km if calendar.stats is not None else None
    km = travel_km(scenario, calendar) if claimed_km is not None else 0.0
    if claimed_km is not None and abs(claimed_km - km) > 0.1:
        result.violations.append(
            Violation(
                0,
                "travel_mismatch",
                f"the calendar reports {claimed_km} km of travel, the scheduled entries give "
                f"{km:.1f}",
            )
        )
    stats = calendar.stats
    if stats is not None and (
        stats.peak_exercises is not None or stats.exercise_days_by_month is not None
    ):
        peak, months = exercise_spread(calendar)
        if stats.peak_exercises not in (None, peak) or stats.exercise_days_by_month not in (
            None,
            months,
        ):
            result.violations.append(
                Violation(
                    0,
                    "spread_mismatch",
                    f"the calendar reports at most {stats.peak_exercises} exercises on one day "
                    f"and exercise-days by month {stats.exercise_days_by_month}, the scheduled "
                    f"entries give {peak} and {months}",
                )
            )
    bound = calendar.bound
    if bound is not None and bound.priority_scheduled < result.kpi.priority_scheduled:
        result.violations.append(
            Violation(
                0,
                "bound_below_figure",
                f"bound {bound.priority_scheduled} is below the priority scheduled "
                f"{result.kpi.priority_scheduled}",
            )
        )
    if calendar.status == "optimal" and (
        bound is None or bound.priority_scheduled != result.kpi.priority_scheduled
    ):
        result.violations.append(
            Violation(
                0, "optimal_without_bound", "status optimal needs bound == priority scheduled"
            )
        )
    return result


__all__ = [
    "HARD_RULES",
    "CheckResult",
    "Violation",
    "check_calendar",
    "desired_exercises_met",
    "figures",
    "exercise_spread",
    "travel_km",
]
