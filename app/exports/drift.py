"""Drift: what in the CURRENT data no longer fits a calendar made earlier (e.g. the approved one).

`calendar_drift(current, version)` is pure. It names the units, nations, sites and exercises
concerned, so a liaison officer sees what to fix or to ask the planners about:
- `approved_exercise_removed`: the exercise is no longer requested;
- `approved_unit_removed`: an assigned unit is no longer declared;
- `approved_unit_unavailable`: an assigned unit is not available on some of its days now;
- `approved_unit_over_limit`: a unit now over its `max_exercises` or short of `rest_days`;
- `approved_nation_over_limit`: a nation now over its `max_exercises` or `budget_person_days`;
- `approved_site_removed`, `approved_site_unavailable`: the site is gone or closed on some days;
- `approved_rule_broken`: any other hard rule the independent checker
  (`solver.check_calendar`) finds broken for a placement (dates, eligibility, requirements,
  nations, order, pins), with its message;
- `exercise_not_in_calendar`: an exercise requested since the calendar was made.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from app.exports.document import CalendarVersion
from solver import (
    Calendar,
    Reason,
    Scenario,
    ScheduledExercise,
    UnscheduledExercise,
    Window,
    check_calendar,
)

ONE_DAY = dt.timedelta(days=1)
DRIFT_CODES: dict[str, str] = {
    "approved_exercise_removed": "an exercise of the calendar is no longer requested",
    "approved_unit_removed": "an assigned unit is no longer declared",
    "approved_unit_unavailable": "an assigned unit is no longer available on some of its days",
    "approved_unit_over_limit": "a unit is now over its max_exercises or short of rest_days",
    "approved_nation_over_limit": "a nation is now over its max_exercises or budget_person_days",
    "approved_site_removed": "the site of a placement is no longer declared",
    "approved_site_unavailable": "the site is no longer available on some of the days",
    "approved_rule_broken": "another hard rule is broken by a placement against the current data",
    "exercise_not_in_calendar": "an exercise was requested after the calendar was made",
}
# Checker codes the specific checks above already report, in plainer words.
_COVERED = {
    "unknown_exercise",
    "listed_twice",
    "missing",
    "no_reason",
    "unknown_site",
    "site_unavailable",
    "unknown_unit",
    "unit_unavailable",
    "unit_max_exercises",
    "unit_rest_days",
    "nation_max_exercises",
    "nation_budget",
}


class DriftConflict(BaseModel):
    """One way a calendar no longer fits the current data, in plain words, with the ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    exercises: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    nations: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    days: list[Window] = Field(default_factory=list, description="the days concerned")
    rule: int | None = Field(default=None, description="the hard rule of the contract, 1-9")


def _day_windows(days: list[dt.date]) -> list[Window]:
    out: list[Window] = []
    for day in sorted(days):
        if out and out[-1].end + ONE_DAY == day:
            out[-1] = Window(start=out[-1].start, end=day)
        else:
            out.append(Window(start=day, end=day))
    return out


def _spell(windows: list[Window]) -> str:
    return ", ".join(str(w.start) if w.days == 1 else f"{w.start} to {w.end}" for w in windows)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _in_any(day: dt.date, windows: list[Window] | None) -> bool:
    return not windows or any(w.contains(day) for w in windows)


def _in_none(day: dt.date, windows: list[Window]) -> bool:
    return not any(w.contains(day) for w in windows)


class _Drift:
    def __init__(self, current: Scenario, version: CalendarVersion):
        self.current = current
        self.version = version
        self.exercises = {e.id: e for e in current.exercises}
        self.units = {u.id: u for u in current.units}
        self.sites = {s.id: s for s in current.sites}
        self.nations = {n.code: n for n in current.nations}
        self.old_exercises = {e.id: e for e in version.scenario.exercises}
        self.old_units = {u.id: u for u in version.scenario.units}
        self.old_nations = {n.code: n for n in version.scenario.nations}
        self.kept: list[ScheduledExercise] = [
            s for s in version.calendar.scheduled if s.exercise in self.exercises
        ]

    def name(self, exercise_id: str) -> str:
        e = self.exercises.get(exercise_id) or self.old_exercises.get(exercise_id)
        return e.name if e is not None else exercise_id

    def nation_of(self, unit_id: str) -> str | None:
        unit = self.units.get(unit_id) or self.old_units.get(unit_id)
        return unit.nation if unit is not None else None

    def nation_name(self, code: str) -> str:
        nation = self.nations.get(code) or self.old_nations.get(code)
        return nation.name if nation is not None else code

    def placed(self, s: ScheduledExercise) -> str:
        return f"{self.name(s.exercise)} ({s.exercise}, {s.start} to {s.end})"

    def nations_in(self, s: ScheduledExercise) -> list[str]:
        return sorted({c for u in s.units if (c := self.nation_of(u)) is not None})

    def available(self, unit_id: str, day: dt.date) -> bool:
        unit = self.units[unit_id]
        nation = self.nations.get(unit.nation)
        return (
            self.current.horizon.contains(day)
            and _in_any(day, unit.availability)
            and _in_none(day, unit.blackouts)
            and (nation is None or (_in_any(day, nation.availability)))
            and (nation is None or _in_none(day, nation.blackouts))
        )


def _removed(d: _Drift) -> Iterator[DriftConflict]:
    for s in d.version.calendar.scheduled:
        if s.exercise not in d.exercises:
            yield DriftConflict(
                code="approved_exercise_removed",
                message=f"{d.placed(s)} is in the calendar but no longer requested",
                exercises=[s.exercise],
                units=list(s.units),
                nations=d.nations_in(s),
                sites=[s.site],
                days=[Window(start=s.start, end=s.end)],
            )
    in_calendar = {s.exercise for s in d.version.calendar.scheduled} | {
        u.exercise for u in d.version.calendar.unscheduled
    }
    for e in d.current.exercises:
        if e.id not in in_calendar:
            yield DriftConflict(
                code="exercise_not_in_calendar",
                message=f"{e.name} ({e.id}) was requested after this calendar was made",
                exercises=[e.id],
            )


def _units(d: _Drift) -> Iterator[DriftConflict]:
    for s in d.kept:
        for unit_id in s.units:
            code = d.nation_of(unit_id)
            nations = [code] if code else []
            who = f"{unit_id} ({d.nation_name(code)})" if code else unit_id
            if unit_id not in d.units:
                yield DriftConflict(
                    code="approved_unit_removed",
                    message=f"{who} is assigned to {d.placed(s)} but is no longer declared",
                    exercises=[s.exercise],
                    units=[unit_id],
                    nations=nations,
                    days=[Window(start=s.start, end=s.end)],
                )
                continue
            away = _day_windows(
                [day for day in _days(s.start, s.end) if not d.available(unit_id, day)]
            )
            if away:
                yield DriftConflict(
                    code="approved_unit_unavailable",
                    message=f"{who} is assigned to {d.placed(s)} but is no longer available "
                    f"on {_spell(away)}",
                    exercises=[s.exercise],
                    units=[unit_id],
                    nations=nations,
                    days=away,
                    rule=5,
                )


def _unit_limits(d: _Drift) -> Iterator[DriftConflict]:
    spans: dict[str, list[ScheduledExercise]] = defaultdict(list)
    for s in d.kept:
        for unit_id in s.units:
            if unit_id in d.units:
                spans[unit_id].append(s)
    for unit_id, items in sorted(spans.items()):
        unit = d.units[unit_id]
        items.sort(key=lambda s: s.start)
        ids = [s.exercise for s in items]
        if unit.max_exercises is not None and len(items) > unit.max_exercises:
            yield DriftConflict(
                code="approved_unit_over_limit",
                message=f"{unit_id} ({d.nation_name(unit.nation)}) is assigned to {len(items)} "
                f"exercises ({', '.join(ids)}); its max_exercises is now {unit.max_exercises}",
                exercises=ids,
                units=[unit_id],
                nations=[unit.nation],
                rule=5,
            )
        for first, second in zip(items, items[1:], strict=False):
            free = (second.start - first.end).days - 1
            if free < unit.rest_days:
                yield DriftConflict(
                    code="approved_unit_over_limit",
                    message=f"{unit_id} ({d.nation_name(unit.nation)}) has {max(free, 0)} free "
                    f"days between {d.placed(first)} and {d.placed(second)}; it now needs "
                    f"{unit.rest_days}",
                    exercises=[first.exercise, second.exercise],
                    units=[unit_id],
                    nations=[unit.nation],
                    rule=5,
                )


def _nation_limits(d: _Drift) -> Iterator[DriftConflict]:
    joined: dict[str, list[str]] = defaultdict(list)
    person_days: dict[str, int] = defaultdict(int)
    for s in d.kept:
        days = (s.end - s.start).days + 1
        for code in {d.units[u].nation for u in s.units if u in d.units}:
            joined[code].append(s.exercise)
        for u in s.units:
            if u in d.units:
                person_days[d.units[u].nation] += d.units[u].personnel * days
    for code, nation in sorted(d.nations.items()):
        if nation.max_exercises is not None and len(joined[code]) > nation.max_exercises:
            yield DriftConflict(
                code="approved_nation_over_limit",
                message=f"{nation.name} takes part in {len(joined[code])} exercises of the "
                f"calendar; its max_exercises is now {nation.max_exercises}",
                exercises=sorted(joined[code]),
                nations=[code],
                rule=7,
            )
        budget = nation.budget_person_days
        if budget is not None and person_days[code] > budget:
            yield DriftConflict(
                code="approved_nation_over_limit",
                message=f"{nation.name} funds {person_days[code]} person-days in the calendar; "
                f"its budget_person_days is now {budget}",
                exercises=sorted(joined[code]),
                nations=[code],
                rule=7,
            )


def _sites(d: _Drift) -> Iterator[DriftConflict]:
    for s in d.kept:
        site = d.sites.get(s.site)
        nations = d.nations_in(s)
        if site is None:
            yield DriftConflict(
                code="approved_site_removed",
                message=f"{d.placed(s)} is at {s.site}, which is no longer declared",
                exercises=[s.exercise],
                nations=nations,
                sites=[s.site],
                rule=3,
            )
            continue
        closed = _day_windows(
            [x for x in _days(s.start, s.end) if not _in_any(x, site.availability)]
        )
        if closed:
            yield DriftConflict(
                code="approved_site_unavailable",
                message=f"{d.placed(s)} is at {site.name}, which is no longer available on "
                f"{_spell(closed)}",
                exercises=[s.exercise],
                nations=nations,
                sites=[s.site],
                days=closed,
                rule=3,
            )


def _checker(d: _Drift) -> Iterator[DriftConflict]:
    """The other hard rules, from the independent checker, on the placements still requested."""
    kept = [s.model_copy(update={"units": [u for u in s.units if u in d.units]}) for s in d.kept]
    placed = {s.exercise for s in kept}
    calendar = Calendar(
        scenario=d.current.name,
        status=d.version.calendar.status,
        kpi=d.version.calendar.kpi,
        scheduled=kept,
        unscheduled=[
            UnscheduledExercise(
                exercise=e.id, reasons=[Reason(code="not_in_calendar", message="not placed")]
            )
            for e in d.current.exercises
            if e.id not in placed
        ],
    )
    by_id = {s.exercise: s for s in kept}
    for v in check_calendar(d.current, calendar).violations:
        if v.rule == 0 or v.code in _COVERED:  # figures are not data conflicts
            continue
        s = by_id.get(v.exercise) if v.exercise else None
        yield DriftConflict(
            code="approved_rule_broken",
            message=v.message,
            exercises=[v.exercise] if v.exercise else [],
            units=list(s.units) if s is not None else [],
            nations=d.nations_in(s) if s is not None else [],
            sites=[s.site] if s is not None else [],
            rule=v.rule,
        )


def calendar_drift(current: Scenario, version: CalendarVersion) -> list[DriftConflict]:
    """Every way `version`'s calendar no longer fits the `current` data; [] when it all fits."""
    d = _Drift(current, version)
    return [
        *_removed(d),
        *_units(d),
        *_unit_limits(d),
        *_nation_limits(d),
        *_sites(d),
        *_checker(d),
    ]
