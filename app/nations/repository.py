"""Queries about nations."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.models import NationRecord, SiteRecord, UnitRecord


def list_nations(
    session: Session, *, role: str | None, limit: int, offset: int, code: str | None = None
) -> tuple[list[NationRecord], int]:
    query = select(NationRecord)
    if role is not None:
        query = query.where(NationRecord.role == role)
    if code is not None:
        query = query.where(NationRecord.code == code)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = (
        query.options(selectinload(NationRecord.windows))
        .order_by(NationRecord.code)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(page)), total


def get_nation(session: Session, code: str) -> NationRecord | None:
    return session.get(NationRecord, code, options=[selectinload(NationRecord.windows)])


def unit_ids_of(session: Session, code: str) -> list[str]:
    query = select(UnitRecord.id).where(UnitRecord.nation_code == code).order_by(UnitRecord.id)
    return list(session.scalars(query))


def sites_hosted_by(session: Session, code: str) -> list[str]:
    query = select(SiteRecord.id).where(SiteRecord.host_code == code).order_by(SiteRecord.id)
    return list(session.scalars(query))


def lock_nation(session: Session, code: str) -> None:
    """Lock the nation's row for this transaction, as the availability PUT's conditional UPDATE
    does: a replace and an availability write of the same nation never interleave."""
    session.execute(
        update(NationRecord)
        .where(NationRecord.code == code)
        .values(availability_version=NationRecord.availability_version),
        execution_options={"synchronize_session": False},
    )
