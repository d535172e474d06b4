"""The published programme as liaison officers and viewers see it: nothing beyond the programme.

The approved calendar's scheduled exercises (dates, site, units) with the names of its
exercises and sites, and its units as id, nation and capability only; its unscheduled exercises
with the reasons that reveal nothing of other nations' availability, limits or budget (a reason
naming only the reader's own nation, or only exercises and sites), else one generic reason. No
solve parameters, progress, figures of the search, diff or scenario snapshot: those are for the
staff (admin, planner, approver), who get the whole job.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.db.models import CalendarRecord
from app.errors import ErrorDetail, ResourceNotFound
from solver import Calendar, Reason, Scenario

# Reasons that name no nation and tell only of exercises, sites, the order of exercises or the
# calendar as a whole (`solver.reasons`, `solver.model.candidates`, `solver.diagnose`).
PUBLIC_REASON_CODES = frozenset(
    {
        "no_site",
        "site_unavailable",
        "no_site_available",
        "pin_site_unavailable",
        "after_unschedulable",
        "after_too_late",
        "after_unscheduled",
        "after_impossible",
        "predecessor_impossible",
        "calendar_infeasible",
        "must_haves_conflict",
        "not_decided",
        "crowded_out",
        "clashes_with",
    }
)
GENERIC_REASON = Reason(
    code="not_scheduled",
    message="Not scheduled in the published programme; the reasons concern other nations' data.",
)


class ProgrammeUnit(BaseModel):
    id: str
    nation: str
    capability: str


class ProgrammeExercise(BaseModel):
    id: str
    name: str
    type: str


class ProgrammeSite(BaseModel):
    id: str
    name: str
    host: str


class PublishedProgramme(BaseModel):
    """The published programme for liaison officers and viewers."""

    id: str = Field(description="the approved calendar's id")
    name: str | None
    state: Literal["approved"] = "approved"
    approved_at: dt.datetime | None
    calendar: Calendar = Field(
        description="the pfp-calendar/1 without solver statistics or bound; unscheduled "
        "exercises' reasons narrowed to the reader's own nation"
    )
    exercises: list[ProgrammeExercise] = Field(description="the exercises of the calendar")
    sites: list[ProgrammeSite] = Field(description="the sites of the scheduled exercises")
    units: list[ProgrammeUnit] = Field(description="the units of the scheduled exercises")


def calendar_not_found(calendar_id: str) -> ResourceNotFound:
    """The 404 of an unknown calendar (as `calendars.service.get_record` answers it), also
    given to a liaison officer for a calendar that is not approved."""
    return ResourceNotFound(
        f"no calendar {calendar_id!r}",
        errors=[ErrorDetail(reason="no such calendar", parameter="id", location="path")],
    )


def _reason(reason: Reason, own: str | None, unit_nation: dict[str, str]) -> Reason | None:
    extra = reason.model_extra or {}
    units = [*(extra.get("units") or []), *([extra["unit"]] if extra.get("unit") else [])]
    named = {*(extra.get("nations") or []), *(unit_nation.get(str(u), "?") for u in units)}
    if named:
        return reason if own is not None and named == {own} else None
    if reason.code not in PUBLIC_REASON_CODES:
        return None
    if reason.code == "crowded_out":  # its message may name nations at their limits
        rivals = [str(x) for x in extra.get("exercises") or []]
        message = "No calendar fits it alongside higher-value exercises" + (
            f": its units or sites are taken by {', '.join(rivals)}." if rivals else "."
        )
        return Reason(code=reason.code, message=message, exercises=rivals)
    return reason


def public_calendar(calendar: Calendar, scenario: Scenario, own: str | None) -> Calendar:
    """The calendar without statistics or bound, its unscheduled exercises' reasons narrowed
    to those a liaison officer of `own` (or a viewer, `own` None) may read (also for the
    pages)."""
    unit_nation = {u.id: u.nation for u in scenario.units}
    unscheduled = []
    for entry in calendar.unscheduled:
        kept = [r for r in (_reason(r, own, unit_nation) for r in entry.reasons) if r]
        unscheduled.append(entry.model_copy(update={"reasons": kept or [GENERIC_REASON]}))
    return Calendar(
        format=calendar.format,
        scenario=calendar.scenario,
        status=calendar.status,
        kpi=calendar.kpi,
        scheduled=calendar.scheduled,
        unscheduled=unscheduled,
    )


def published_view(
    record: CalendarRecord, calendar: Calendar, scenario: Scenario, own: str | None
) -> PublishedProgramme:
    """`record`'s calendar as a liaison officer of `own` (or a viewer, `own` None) sees it."""
    public = public_calendar(calendar, scenario, own)
    unscheduled = public.unscheduled
    placed_units = {u for s in calendar.scheduled for u in s.units}
    placed_sites = {s.site for s in calendar.scheduled}
    listed = {s.exercise for s in calendar.scheduled} | {u.exercise for u in unscheduled}
    return PublishedProgramme(
        id=record.id,
        name=record.name,
        approved_at=record.approved_at,
        calendar=public,
        exercises=[
            ProgrammeExercise(id=e.id, name=e.name, type=e.type)
            for e in scenario.exercises
            if e.id in listed
        ],
        sites=[
            ProgrammeSite(id=s.id, name=s.name, host=s.host)
            for s in scenario.sites
            if s.id in placed_sites
        ],
        units=[
            ProgrammeUnit(id=u.id, nation=u.nation, capability=u.capability)
            for u in scenario.units
            if u.id in placed_units
        ],
    )


__all__ = [
    "GENERIC_REASON",
    "PUBLIC_REASON_CODES",
    "PublishedProgramme",
    "calendar_not_found",
    "public_calendar",
    "published_view",
]
