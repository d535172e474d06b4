"""The types of a `pfp-calendar/1` document: a proposed answer to a scenario."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CALENDAR_FORMAT = "pfp-calendar/1"

CalendarStatus = Literal["optimal", "feasible", "infeasible", "unknown"]


class Kpi(BaseModel):
    """The figures a calendar is judged by, compared in this order."""

    model_config = ConfigDict(extra="forbid")

    priority_scheduled: int = 0
    nation_participations: int = 0
    preferred_month_hits: int = 0

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.priority_scheduled, self.nation_participations, self.preferred_month_hits)


class Bound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority_scheduled: int


class ScheduledExercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise: str
    start: dt.date
    end: dt.date
    site: str
    units: list[str]


class Reason(BaseModel):
    """Why an exercise is unscheduled, in plain words; extra fields name what it refers to."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class UnscheduledExercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise: str
    reasons: list[Reason] = Field(min_length=1)


class SolveStats(BaseModel):
    """How a calendar was found: times (seconds from the call), model size, search phases.

    Optional and informative only; a calendar from elsewhere has none."""

    model_config = ConfigDict(extra="allow")

    prepare_s: float | None = None
    greedy_s: float | None = None
    build_s: float | None = None
    first_solution_s: float | None = None
    solve_s: float | None = None
    greedy_kpi: Kpi | None = None
    candidate_pairs: int | None = None
    capped: bool | None = None
    cp_sat_status: str | None = None
    source: str | None = None
    phases: list[str] = Field(default_factory=list)
    workers: int | None = None
    seed: int | None = None
    # true when the caller's should_stop ended the solve (a cancel) before its time limit
    stopped: bool | None = None
    # the wish figure ranked after the three (`solver.model.objective`): over nations with
    # `desired_exercises`, the exercises each joins counted up to its wish; and the wishes' sum
    desired_exercises_met: int | None = None
    desired_exercises: int | None = None
    # the most nation participations any calendar scheduling at least this one's priority
    # can have: proven by CP-SAT with the calendar (status optimal), else by a relaxation
    # (`solver.model.bound.nations_bound`); none for a large (capped) programme
    nations_bound: int | None = None
    # after every figure (`solver.travel`): the km, one way, from each assigned unit's home to
    # its exercise's site, over units with a home and sites with a location
    travel_km: float | None = None
    # after every figure (`solver.spread`): the most exercises running on one day, and the
    # exercise-days of each month (`YYYY-MM`)
    peak_exercises: int | None = None
    exercise_days_by_month: dict[str, int] | None = None


class Calendar(BaseModel):
    model_config = ConfigDict(extra="allow")

    format: Literal["pfp-calendar/1"] = CALENDAR_FORMAT
    scenario: str
    status: CalendarStatus
    kpi: Kpi
    bound: Bound | None = None
    scheduled: list[ScheduledExercise] = Field(default_factory=list)
    unscheduled: list[UnscheduledExercise] = Field(default_factory=list)
    stats: SolveStats | None = None
