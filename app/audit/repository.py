"""Queries of the `audit_events` table: one INSERT per write, and the filtered listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

from app.db.models import AuditEventRecord, UnitRecord

_EVENTS = AuditEventRecord.__table__


def add_event(session: Session, values: dict[str, Any]) -> None:
    """One INSERT, executed at once in the session's transaction (committed with the write)."""
    session.execute(insert(_EVENTS).values(**values))


def nation_of_unit(unit_id: str) -> ColumnElement[str | None]:
    """The unit's nation, as a subquery the event's INSERT resolves (no round trip of its own)."""
    return select(UnitRecord.nation_code).where(UnitRecord.id == unit_id).scalar_subquery()


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
