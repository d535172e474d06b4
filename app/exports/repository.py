"""Queries of the exports: a calendar's approval rank (its iCalendar SEQUENCE) and the one
approved before it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import CalendarRecord


def approval_rank(session: Session, calendar_id: str, approved_at: dt.datetime) -> int:
    """1 for the first calendar ever approved, 2 for the next, ... (ties broken by id, as the
    published programme is chosen)."""
    approved = CalendarRecord.approved_at
    query = select(func.count()).where(
        CalendarRecord.state == "approved",
        or_(
            approved < approved_at, and_(approved == approved_at, CalendarRecord.id <= calendar_id)
        ),
    )
    return session.scalar(query) or 0


def previous_approved(
    session: Session, calendar_id: str, approved_at: dt.datetime
) -> CalendarRecord | None:
    """The calendar approved just before this one (same order as `approval_rank`), or None."""
    approved = CalendarRecord.approved_at
    return session.scalars(
        select(CalendarRecord)
        .where(
            CalendarRecord.state == "approved",
            or_(
                approved < approved_at,
                and_(approved == approved_at, CalendarRecord.id < calendar_id),
            ),
        )
        .order_by(approved.desc(), CalendarRecord.id.desc())
        .limit(1)
    ).first()
