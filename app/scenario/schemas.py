"""Wire types of the scenario endpoints; the document itself is `solver.Scenario`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from solver import Window


class ProgrammeBody(BaseModel):
    """The scenario's own fields: its name and its planning horizon."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    horizon: Window


class ScenarioSummary(BaseModel):
    """What a scenario PUT stored."""

    name: str
    horizon: Window
    nations: int
    units: int
    sites: int
    exercises: int
