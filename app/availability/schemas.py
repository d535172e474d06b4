"""The body of the availability endpoints: a nation's or unit's whole set of windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AvailabilityWindow(BaseModel):
    """A span of whole days, both ends included (the order is checked by the service)."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date


class AvailabilitySet(BaseModel):
    """Availability windows (null or [] = no limit) and blackouts, read and replaced whole."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "availability": [{"start": "1995-03-01", "end": "1995-11-30"}],
                    "blackouts": [{"start": "1995-07-15", "end": "1995-08-15"}],
                }
            ]
        },
    )

    availability: list[AvailabilityWindow] | None = Field(
        default=None, description="when it may take part at all; null or [] puts no limit"
    )
    blackouts: list[AvailabilityWindow] = Field(
        default_factory=list, description="days on which it may not take part"
    )

    @field_validator("blackouts", mode="before")
    @classmethod
    def _null_blackouts(cls, value: Any) -> Any:
        return [] if value is None else value
