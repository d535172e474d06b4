"""Queries of the exports: the approval rank of a calendar (its iCalendar SEQUENCE)."""

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
