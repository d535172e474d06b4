"""An audit event on the wire, and the names of what is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from app.auth.principal import Role
from app.pagination import Page

Entity = Literal[
    "nation",
    "unit",
    "site",
    "exercise",
    "availability",
    "scenario",
    "programme",
    "calendar",
    "token",
]
Action = Literal["create", "replace", "delete", "solve", "cancel", "approve", "revoke"]

ENTITIES: tuple[str, ...] = get_args(Entity)
ACTIONS: tuple[str, ...] = get_args(Action)
# What a planner sees of the trail: writes to the programme's own data, not the nations' (their
# units and availability) and not the tokens.
PROGRAMME_ENTITIES = frozenset({"site", "exercise", "scenario", "programme", "calendar"})


class Actor(BaseModel):
    """Who made the write: the token (null for the server itself, e.g. `pfp-scheduler demo`)."""

    token_id: str | None
    name: str
    role: Role
    nation: str | None = Field(description="the nation a liaison token speaks for")


class AuditEvent(BaseModel):
    """One write: who, when, what, and the resource before and after as the API shows it."""

    id: int
    at: dt.datetime
    actor: Actor
    action: Action
    entity: Entity
    entity_id: str | None = Field(
        description="the resource's id; an availability's is `nation/CODE` or `unit/ID`; "
        "null for the scenario and the programme"
    )
    nation: str | None = Field(description="the nation concerned, if any")
    before: Any = Field(description="the resource before the write (null for a create)")
    after: Any = Field(description="the resource after the write (null for a delete)")


AuditPage = Page[AuditEvent]

__all__ = [
    "ACTIONS",
    "ENTITIES",
    "PROGRAMME_ENTITIES",
    "Action",
    "Actor",
    "AuditEvent",
    "AuditPage",
    "Entity",
]
