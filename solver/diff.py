"""What changed between two calendars: exercises added, dropped, moved, and units changed.

`diff_calendars(a, b)` reads `a` as before (say, the approved calendar) and `b` as after (a
re-plan). Exercises are matched by id; an exercise is *moved* when its dates or site differ
and has *units changed* when its unit set differs (it may be both). Each change gets one line
in plain words; a scenario, if given, only lends the names of exercises, sites and units' nations.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, computed_field

from solver.calendar import Calendar, ScheduledExercise
from solver.scenario import Scenario


class PlacementEntry(BaseModel):
    """Where and when an exercise was (dropped) or is (added) scheduled, with its units."""

    model_config = ConfigDict(extra="forbid")

    exercise: str
    start: dt.date
    end: dt.date
    site: str
    units: list[str]


class ExerciseMoved(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise: str
    from_start: dt.date
    from_end: dt.date
    from_site: str
    to_start: dt.date
    to_end: dt.date
    to_site: str


class UnitsChanged(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise: str
    added: list[str]
    removed: list[str]


class CalendarDiff(BaseModel):
    """The changes from calendar `a` to calendar `b`, each list sorted by exercise id."""

    model_config = ConfigDict(extra="forbid")

    added: list[PlacementEntry] = Field(default_factory=list)
    dropped: list[PlacementEntry] = Field(default_factory=list)
    moved: list[ExerciseMoved] = Field(default_factory=list)
    units_changed: list[UnitsChanged] = Field(default_factory=list)
    unchanged: int = 0
    changed: list[str] = Field(default_factory=list)
    summary: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_empty(self) -> bool:
        return not self.changed


def _span(start: dt.date, end: dt.date) -> str:
    """`3-12 June 1995`, `28 June - 4 July 1995`, `30 December 1995 - 2 January 1996`."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} - {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} - {end.day} {end:%B %Y}"


class _Names:
    def __init__(self, scenario: Scenario | None):
        self.exercises = {e.id: e.name for e in scenario.exercises} if scenario else {}
        self.sites = {x.id: x.name for x in scenario.sites} if scenario else {}
        nations = {n.code: n.name for n in scenario.nations} if scenario else {}
        self.nation_of = (
            {u.id: nations.get(u.nation, u.nation) for u in scenario.units} if scenario else {}
        )

    def exercise(self, eid: str) -> str:
        name = self.exercises.get(eid)
        return f"{name} ({eid})" if name and name != eid else eid

    def site(self, sid: str) -> str:
        return self.sites.get(sid) or sid

    def units(self, ids: list[str]) -> str:
        return ", ".join(f"{u} ({self.nation_of[u]})" if u in self.nation_of else u for u in ids)


def _entry(x: ScheduledExercise) -> PlacementEntry:
    return PlacementEntry(
        exercise=x.exercise, start=x.start, end=x.end, site=x.site, units=sorted(x.units)
    )


def diff_calendars(a: Calendar, b: Calendar, scenario: Scenario | None = None) -> CalendarDiff:
    """The changes from `a` (before) to `b` (after)."""
    names = _Names(scenario)
    before = {x.exercise: x for x in a.scheduled}
    after = {x.exercise: x for x in b.scheduled}
    out = CalendarDiff()
    lines: dict[str, list[str]] = {}
    for eid in sorted(before.keys() | after.keys()):
        old, new = before.get(eid), after.get(eid)
        said = lines.setdefault(eid, [])
        label = names.exercise(eid)
        if old is None and new is not None:
            out.added.append(_entry(new))
            said.append(
                f"{label} added: {_span(new.start, new.end)} at {names.site(new.site)} "
                f"with {names.units(sorted(new.units))}."
            )
            continue
        if new is None and old is not None:
            out.dropped.append(_entry(old))
            said.append(
                f"{label} dropped (was {_span(old.start, old.end)} at {names.site(old.site)})."
            )
            continue
        assert old is not None and new is not None
        moved = (old.start, old.end, old.site) != (new.start, new.end, new.site)
        gained = sorted(set(new.units) - set(old.units))
        lost = sorted(set(old.units) - set(new.units))
        if moved:
            out.moved.append(
                ExerciseMoved(
                    exercise=eid,
                    from_start=old.start,
                    from_end=old.end,
                    from_site=old.site,
                    to_start=new.start,
                    to_end=new.end,
                    to_site=new.site,
                )
            )
            said.append(
                f"{label} moved from {_span(old.start, old.end)} at {names.site(old.site)} "
                f"to {_span(new.start, new.end)} at {names.site(new.site)}."
            )
        if gained or lost:
            out.units_changed.append(UnitsChanged(exercise=eid, added=gained, removed=lost))
            parts = []
            if gained:
                parts.append(f"gains {names.units(gained)}")
            if lost:
                parts.append(f"loses {names.units(lost)}")
            said.append(f"{label} {' and '.join(parts)}.")
        if not moved and not gained and not lost:
            out.unchanged += 1
    out.changed = [eid for eid, said in lines.items() if said]
    out.summary = [line for said in lines.values() for line in said]
    return out


__all__ = ["CalendarDiff", "ExerciseMoved", "PlacementEntry", "UnitsChanged", "diff_calendars"]
