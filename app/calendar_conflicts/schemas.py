"""The answer of GET /api/v1/calendars/{id}/conflicts (the solver's own types inside)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from solver import DataConflict, Explanation, SoftConflict


class CalendarConflicts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    calendar: str = Field(description="the calendar's id")
    status: str = Field(description="what the solver proved of the calendar")
    unscheduled: list[Explanation] = Field(
        description="one explanation per unscheduled exercise: its causes (minimal when "
        "`status` is `minimal`), a plain-words message, and verified suggestions"
    )
    soft: list[SoftConflict] = Field(
        description="scheduled exercises outside their preferred months; nations below "
        "their desired_exercises"
    )
    data_conflicts: list[DataConflict] = Field(
        description="what is wrong in the scenario the calendar was solved for, seen without "
        "solving"
    )
    minimal: int = Field(description="explanations whose causes were proven minimal")
    elapsed_s: float = Field(description="seconds the explanations took when first computed")
