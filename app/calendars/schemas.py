"""The API's shapes for solve requests and calendar jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.pagination import Page
from solver import Calendar, Kpi

JobStatus = Literal["queued", "running", "completed", "failed", "cancelled"]
CalendarState = Literal["draft", "approved"]


class SolveRequest(BaseModel):
    """Options of a solve; every field may be left out."""

    model_config = ConfigDict(extra="forbid")

    time_limit_s: float | None = Field(
        default=None, gt=0, description="seconds to search (at most the configured cap)"
    )
    workers: int = Field(default=2, ge=1, le=8, description="CP-SAT search workers")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    base: str | None = Field(
        default=None, description="id of an approved calendar to re-plan from with few changes"
    )


class SolveParamsOut(BaseModel):
    time_limit_s: float
    workers: int
    seed: int


class JobProgress(BaseModel):
    """The latest figures of a running (or finished) solve."""

    elapsed_s: float
    kpi: Kpi
    bound: int | None = None
    gap: float | None = Field(
        default=None, description="(bound - priority_scheduled) / bound; 0 when proved best"
    )
    source: str | None = None
    changes: int | None = Field(
        default=None, description="a re-plan's number of exercises changed from its base"
    )
    desired_exercises_met: int | None = Field(
        default=None,
        description="the wish figure ranked after the three: over nations with "
        "desired_exercises, the exercises each joins counted up to its wish",
    )


class CalendarSummary(BaseModel):
    """A solve job and the calendar version it produced, without the calendar itself."""

    id: str
    name: str | None
    status: JobStatus
    state: CalendarState
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    approved_at: dt.datetime | None
    params: SolveParamsOut
    scenario_sha256: str
    base: str | None
    progress: JobProgress | None
    error: str | None
    calendar_status: str | None = Field(
        default=None, description="the calendar's own status: optimal, feasible, ..."
    )
    kpi: Kpi | None = None


class CalendarJob(CalendarSummary):
    """A solve job with, once it is done, its `pfp-calendar/1` and the diff against its base."""

    calendar: Calendar | None = None
    diff: dict[str, Any] | None = None


CalendarPage = Page[CalendarSummary]

__all__ = [
    "CalendarJob",
    "CalendarPage",
    "CalendarState",
    "CalendarSummary",
    "JobProgress",
    "JobStatus",
    "SolveParamsOut",
    "SolveRequest",
]
