"""Queries of the `calendars` table; nothing here commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer

from app.db.models import CalendarRecord

ACTIVE = ("queued", "running")


def get_calendar(session: Session, calendar_id: str) -> CalendarRecord | None:
    return session.get(CalendarRecord, calendar_id)


def add_calendar(session: Session, record: CalendarRecord) -> None:
    session.add(record)
    session.flush()


def active_of(session: Session, token_id: str) -> list[tuple[dt.datetime | None, Any]]:
    """(started_at, params) of the solves `token_id` asked for that are queued or running."""
    query = select(CalendarRecord.started_at, CalendarRecord.params).where(
        CalendarRecord.requested_by == token_id, CalendarRecord.status.in_(ACTIVE)
    )
    return [(row.started_at, row.params) for row in session.execute(query)]


def list_calendars(
    session: Session, *, status: str | None, state: str | None, limit: int, offset: int
) -> tuple[list[CalendarRecord], int]:
    """A page of calendars, newest first (their scenario snapshots left unread)."""
    query = select(CalendarRecord).options(
        defer(CalendarRecord.scenario_json), defer(CalendarRecord.explanations)
    )
    if status is not None:
        query = query.where(CalendarRecord.status == status)
    if state is not None:
        query = query.where(CalendarRecord.state == state)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(CalendarRecord.created_at.desc(), CalendarRecord.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def latest_approved(session: Session) -> CalendarRecord | None:
    return session.scalars(
        select(CalendarRecord)
        .where(CalendarRecord.state == "approved")
        .order_by(CalendarRecord.approved_at.desc(), CalendarRecord.id.desc())
        .limit(1)
    ).first()


def mark_started(session: Session, calendar_id: str, at: dt.datetime) -> None:
    session.execute(
        update(CalendarRecord)
        .where(CalendarRecord.id == calendar_id, CalendarRecord.status == "queued")
        .values(status="running", started_at=at)
    )


def set_progress(session: Session, calendar_id: str, progress: dict[str, Any]) -> None:
    session.execute(
        update(CalendarRecord)
        .where(CalendarRecord.id == calendar_id, CalendarRecord.status.in_(ACTIVE))
        .values(progress=progress)
    )


def finish(session: Session, calendar_id: str, **values: Any) -> bool:
    """The job's final status (and calendar) in one statement; False if it had already ended."""
    result = session.execute(
        update(CalendarRecord)
        .where(CalendarRecord.id == calendar_id, CalendarRecord.status.in_(ACTIVE))
        .values(**values)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def fail_active(session: Session, *, reason: str, at: dt.datetime) -> int:
    """Every job still queued or running is marked failed with `reason`; how many."""
    result = session.execute(
        update(CalendarRecord)
        .where(CalendarRecord.status.in_(ACTIVE))
        .values(status="failed", error=reason, finished_at=at)
    )
    return result.rowcount  # type: ignore[attr-defined]


def approve(session: Session, calendar_id: str, at: dt.datetime) -> bool:
    result = session.execute(
        update(CalendarRecord)
        .where(CalendarRecord.id == calendar_id, CalendarRecord.state == "draft")
        .values(state="approved", approved_at=at)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


__all__ = [
    "ACTIVE",
    "active_of",
    "add_calendar",
    "approve",
    "fail_active",
    "finish",
    "get_calendar",
    "latest_approved",
    "list_calendars",
    "mark_started",
    "set_progress",
]
