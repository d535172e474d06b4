"""The answer of GET /api/v1/conflicts."""

from __future__ import annotations

from pydantic import BaseModel, Field

from solver import DataConflict


class ConflictList(BaseModel):
    """The data conflicts that match the filters, errors first, and how many of each."""

    scenario: str | None = Field(description="the programme's name; null when none is stored")
    errors: int = Field(description="conflicts of severity error in `items`")
    warnings: int = Field(description="conflicts of severity warning in `items`")
    items: list[DataConflict]
