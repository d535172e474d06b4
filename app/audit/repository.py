"""Queries of the `audit_events` table: one INSERT per write, and the filtered listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.db.models import AuditEventRecord, UnitRecord

_EVENTS = AuditEventRecord.__table__

# Built once, with bound parameters: the statement is compiled once per process, not per write.
_INSERT = insert(_EVENTS)
_INSERT_FOR_UNIT = insert(_EVENTS).values(
    nation_code=select(UnitRecord.nation_code)
    .where(UnitRecord.id == bindparam("nation_of_unit"))
    .scalar_subquery()
)


def add_event(session: Session, values: dict[str, Any]) -> None:
    """One INSERT, executed at once in the session's transaction (committed with the write)."""
    session.execute(_INSERT, values)


def add_event_for_unit(session: Session, values: dict[str, Any], unit_id: str) -> None:
    """The same INSERT, its `nation_code` the unit's, found by the INSERT itself (no SELECT of
    its own)."""
    session.execute(_INSERT_FOR_UNIT, {**values, "nation_of_unit": unit_id})


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What a listing keeps; `entities` narrows it to what the reader may see (None: all)."""

    nation: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    actor: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    entities: Collection[str] | None = None


def list_events(
    session: Session, where: EventFilter, *, limit: int, offset: int
) -> tuple[list[AuditEventRecord], int]:
    """A page of events, newest first, and how many match."""
    query = select(AuditEventRecord)
    e = AuditEventRecord
    for column, value in (
        (e.nation_code, where.nation),
        (e.entity, where.entity),
        (e.entity_id, where.entity_id),
        (e.action, where.action),
        (e.actor_token_id, where.actor),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.since is not None:
        query = query.where(e.at >= where.since)
    if where.until is not None:
        query = query.where(e.at < where.until)
    if where.entities is not None:
        query = query.where(e.entity.in_(sorted(where.entities)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(e.at.desc(), e.id.desc()).limit(limit).offset(offset))
    return list(rows), total
