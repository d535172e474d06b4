"""The nation's calendar, built purely from the current data and one calendar version."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.exports.document import CalendarVersion, placements
from app.exports.drift import DriftConflict, calendar_drift
from solver import DataConflict, Scenario, data_conflicts


class Assignment(BaseModel):
    """One exercise a unit is assigned to."""

    exercise: str
    name: str
    type: str | None
    start: dt.date
    end: dt.date
    days: int
    site: str
    site_name: str
    host_nation: str | None
    other_nations: list[str] = Field(description="the other nations taking part, by code")
    other_units: list[str]


class UnitCalendar(BaseModel):
    id: str
    capability: str
    personnel: int
    declared: bool = Field(description="still declared in the current data")
    assignments: list[Assignment]


class Hosted(BaseModel):
    """An exercise at a site the nation hosts."""

    exercise: str
    name: str
    start: dt.date
    end: dt.date
    site: str
    site_name: str
    nations: list[str]
    personnel: int = Field(description="personnel of all assigned units, to be hosted")


class CalendarRef(BaseModel):
    id: str
    status: str = Field(description="what the solver proved: optimal, feasible, ...")
    created_at: dt.datetime
    approved_at: dt.datetime | None
    published: bool = Field(description="this is the latest approved calendar")


class NationCalendar(BaseModel):
    """Where a nation's units go and when; the nation's data conflicts; and, for the calendar
    shown, what in the current data no longer fits it (`calendar_conflicts`)."""

    nation: str
    name: str
    calendar: CalendarRef | None
    exercises: list[str] = Field(description="the exercises the nation takes part in")
    person_days: int
    units: list[UnitCalendar]
    hosted: list[Hosted] = Field(description="the exercises at sites the nation hosts")
    data_conflicts: list[DataConflict]
    calendar_conflicts: list[DriftConflict]


def nation_calendar(
    code: str,
    *,
    current: Scenario | None,
    version: CalendarVersion | None,
    published: bool = False,
) -> NationCalendar:
    """The view of nation `code`: units of the current data and of the calendar's snapshot."""
    units = {}
    if version is not None:
        units.update({u.id: (u, False) for u in version.scenario.units if u.nation == code})
    if current is not None:
        units.update({u.id: (u, True) for u in current.units if u.nation == code})
    assignments: dict[str, list[Assignment]] = {unit_id: [] for unit_id in units}
    exercises: list[str] = []
    hosted: list[Hosted] = []
    person_days = 0
    if version is not None:
        for p in placements(version.scenario, version.calendar):
            if p.host == code:
                hosted.append(
                    Hosted(
                        exercise=p.entry.exercise,
                        name=p.name,
                        start=p.entry.start,
                        end=p.entry.end,
                        site=p.entry.site,
                        site_name=p.site_name,
                        nations=p.nation_codes,
                        personnel=sum(u.personnel for u in p.units),
                    )
                )
            ours = [u for u in p.units if u.nation == code]
            if not ours:
                continue
            exercises.append(p.entry.exercise)
            for unit in ours:
                person_days += unit.personnel * p.days
                assignments.setdefault(unit.id, []).append(
                    Assignment(
                        exercise=p.entry.exercise,
                        name=p.name,
                        type=p.exercise.type if p.exercise is not None else None,
                        start=p.entry.start,
                        end=p.entry.end,
                        days=p.days,
                        site=p.entry.site,
                        site_name=p.site_name,
                        host_nation=p.host,
                        other_nations=[c for c in p.nation_codes if c != code],
                        other_units=[u.id for u in p.units if u.nation != code],
                    )
                )
    nation = next(
        (
            n
            for s in (current, version and version.scenario)
            if s
            for n in s.nations
            if n.code == code
        ),
        None,
    )
    return NationCalendar(
        nation=code,
        name=nation.name if nation is not None else code,
        calendar=None
        if version is None
        else CalendarRef(
            id=version.id,
            status=version.calendar.status,
            created_at=version.created_at,
            approved_at=version.approved_at,
            published=published,
        ),
        exercises=exercises,
        person_days=person_days,
        units=[
            UnitCalendar(
                id=unit.id,
                capability=unit.capability,
                personnel=unit.personnel,
                declared=declared,
                assignments=assignments.get(unit_id, []),
            )
            for unit_id, (unit, declared) in sorted(units.items())
        ],
        hosted=hosted,
        data_conflicts=[]
        if current is None
        else [c for c in data_conflicts(current) if code in c.nations],
        calendar_conflicts=[]
        if current is None or version is None
        else [c for c in calendar_drift(current, version) if code in c.nations],
    )
