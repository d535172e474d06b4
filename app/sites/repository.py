"""Queries about sites."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import EligibleSiteRecord, ExerciseRecord, SiteRecord


def list_sites(
    session: Session, *, host: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[SiteRecord], int]:
    query = select(SiteRecord)
    if host is not None:
        query = query.where(SiteRecord.host_code == host)
    if kind is not None:
        query = query.where(SiteRecord.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = (
        query.options(selectinload(SiteRecord.windows))
        .order_by(SiteRecord.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(page)), total


def get_site(session: Session, site_id: str) -> SiteRecord | None:
    return session.get(SiteRecord, site_id, options=[selectinload(SiteRecord.windows)])


def exercises_listing(session: Session, site_id: str) -> list[str]:
    """Exercises that name the site among their eligible `sites`."""
    query = (
        select(EligibleSiteRecord.exercise_id)
        .where(EligibleSiteRecord.site_id == site_id)
        .order_by(EligibleSiteRecord.exercise_id)
        .distinct()
    )
    return list(session.scalars(query))


def exercises_pinned_to(session: Session, site_id: str) -> list[str]:
    query = (
        select(ExerciseRecord.id)
        .where(ExerciseRecord.pin_site_id == site_id)
        .order_by(ExerciseRecord.id)
    )
    return list(session.scalars(query))
