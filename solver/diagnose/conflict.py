"""A data conflict: its stable codes, its severity, and the ids it names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from solver.scenario import Window

Severity = Literal["error", "warning"]

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
    "duplicate_exercises": "two exercise requests ask for the same thing (type, days, window, "
    "requirements, sites): likely one request submitted twice",
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
