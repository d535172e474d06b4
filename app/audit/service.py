"""Record every write (who, when, what, before and after) and read the trail back.

`record()` is called by each service's write function once the write is done, in the same
session: the event is one INSERT in the write's own transaction, so it is committed with the
write by the request's session dependency, or rolled back with it. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.repository import EventFilter
from app.audit.schemas import PROGRAMME_ENTITIES, Action, Actor, AuditEvent, AuditPage, Entity
from app.auth.dependencies import principal_of
from app.auth.principal import Principal, Role
from app.db.models import AuditEventRecord
from app.dependencies import PageParams
from app.errors import ErrorDetail, Forbidden
from solver import Scenario

Json = dict[str, Any] | list[Any] | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def wire(model: BaseModel | None) -> Json:
    """A resource as the API shows it (its wire model in JSON), or None."""
    return None if model is None else model.model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class UnitNation:
    """`nation=` for a write about a unit whose nation is not at hand: the INSERT finds it."""

    unit_id: str


def unit_nation(unit_id: str) -> UnitNation:
    return UnitNation(unit_id)


def scenario_summary(scenario: Scenario | None) -> Json:
    """What the trail keeps of a whole scenario: name, horizon, counts and the sha256 of its
    canonical JSON (the same text, and so the same hash, a solve of it records as
    `scenario_sha256`), not the whole document."""
    if scenario is None:
        return None
    canonical = scenario.model_dump_json(exclude_none=True)
    return {
        "name": scenario.name,
        "horizon": scenario.horizon.model_dump(mode="json"),
        "counts": {
            "nations": len(scenario.nations),
            "units": len(scenario.units),
            "sites": len(scenario.sites),
            "exercises": len(scenario.exercises),
        },
        "sha256": hashlib.sha256(canonical.encode()).hexdigest(),
    }


def record(
    session: Session,
    *,
    action: Action,
    entity: Entity,
    entity_id: str | None,
    nation: str | UnitNation | None = None,
    before: Json = None,
    after: Json = None,
) -> None:
    """Add one event for a write just made in `session`, by the session's principal (the
    server itself, `SYSTEM`, when there is none, e.g. the demo load or the token command)."""
    actor: Principal = principal_of(session)
    values = {
        "at": _now(),
        "actor_token_id": actor.token_id,
        "actor_name": actor.name,
        "actor_role": actor.role.value,
        "actor_nation": actor.nation,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }
    if isinstance(nation, UnitNation):
        repository.add_event_for_unit(session, values, nation.unit_id)
    else:
        repository.add_event(session, {**values, "nation_code": nation})


def event_view(record: AuditEventRecord) -> AuditEvent:
    return AuditEvent(
        id=record.id,
        at=record.at,
        actor=Actor(
            token_id=record.actor_token_id,
            name=record.actor_name,
            role=Role(record.actor_role),
            nation=record.actor_nation,
        ),
        action=record.action,
        entity=record.entity,
        entity_id=record.entity_id,
        nation=record.nation_code,
        before=record.before,
        after=record.after,
    )


def visible_entities(principal: Principal) -> frozenset[str] | None:
    """What part of the trail `principal` may read: all (None) for an admin; a planner, the
    writes to programme data."""
    return None if principal.role is Role.admin else PROGRAMME_ENTITIES


def list_events(
    *, session: Session, principal: Principal, page: PageParams, where: EventFilter
) -> AuditPage:
    """The events matching `where` that `principal` may see, newest first."""
    entities = visible_entities(principal)
    if entities is not None and where.entity is not None and where.entity not in entities:
        raise Forbidden(
            f"a {principal.role.value} token sees only writes to programme data "
            f"({', '.join(sorted(entities))}), not {where.entity!r}",
            errors=[
                ErrorDetail(
                    reason=f"must be one of {', '.join(sorted(entities))} for this token",
                    parameter="entity",
                    location="query",
                )
            ],
        )
    rows, total = repository.list_events(
        session, replace(where, entities=entities), limit=page.limit, offset=page.offset
    )
    return AuditPage(
        items=[event_view(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


__all__ = [
    "event_view",
    "list_events",
    "record",
    "scenario_summary",
    "UnitNation",
    "unit_nation",
    "visible_entities",
    "wire",
]
