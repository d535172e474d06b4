"""The types of a calendar's conflicts: causes, suggested changes, explanations, soft ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from solver.calendar import Kpi


@dataclass(frozen=True)
class ExplainParams:
    """Time budgets (seconds) in all and per unscheduled exercise; CP-SAT on `workers`."""

    time_limit_s: float = 10.0
    per_exercise_s: float = 2.0
    solve_s: float = 0.5  # one CP-SAT call at most
    workers: int = 1
    seed: int = 0
    suggestions: bool = True


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cause(_Model):
    """One group of constraints that keeps the exercise out, in plain words."""

    kind: str
    message: str
    exercise: str | None = None
    unit: str | None = None
    nation: str | None = None
    site: str | None = None


class Change(_Model):
    """One field of one entity, from -> to (`field` None with `to` set: the entity is added;
    entity "calendar": a placement of the calendar changes, `to` None: dropped)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    entity: Literal["exercise", "nation", "site", "unit", "calendar"]
    id: str
    field: str | None = None
    from_: Any = Field(default=None, alias="from")
    to: Any = None


class Cost(_Model):
    """What a change costs the rest of the programme, and the calendar's figures' change."""

    kpi_delta: Kpi
    moved: list[dict[str, Any]] = Field(default_factory=list)
    dropped: list[dict[str, Any]] = Field(default_factory=list)
    nations_lost: int = 0


class Suggestion(_Model):
    kind: str
    message: str
    changes: list[Change]
    verified: bool
    cost: Cost
    placement: dict[str, Any] | None = None  # where the exercise would then be held


class Explanation(_Model):
    """Why one exercise is unscheduled: `status` "minimal" (no cause can be dropped, proven),
    "best_effort" (the time budget ran out while shrinking), "static" (the data alone),
    "fits" (it fits alongside the calendar as it is)."""

    exercise: str
    name: str
    status: Literal["minimal", "best_effort", "static", "fits", "unknown"]
    message: str
    causes: list[Cause]
    suggestions: list[Suggestion] = Field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def minimal(self) -> bool:
        return self.status in ("minimal", "static")


class SoftConflict(_Model):
    """A wish the calendar misses: preferred months, or a nation's desired exercises."""

    code: Literal["outside_preferred_months", "below_desired_exercises"]
    message: str
    exercise: str | None = None
    nation: str | None = None
    possible: bool | None = None  # could a start in a preferred month be had, the rest held
    suggestion: Suggestion | None = None
