"""Queries about units."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.models import PinnedUnitRecord, UnitRecord


def list_units(
    session: Session,
    *,
    nation: str | None,
    capability: str | None,
    limit: int,
    offset: int,
) -> tuple[list[UnitRecord], int]:
    query = select(UnitRecord)
    if nation is not None:
        query = query.where(UnitRecord.nation_code == nation)
    if capability is not None:
        query = query.where(UnitRecord.capability == capability)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = (
        query.options(selectinload(UnitRecord.windows))
        .order_by(UnitRecord.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(page)), total


def get_unit(session: Session, unit_id: str) -> UnitRecord | None:
    return session.get(UnitRecord, unit_id, options=[selectinload(UnitRecord.windows)])


def exercises_pinning(session: Session, unit_id: str) -> list[str]:
    query = (
        select(PinnedUnitRecord.exercise_id)
        .where(PinnedUnitRecord.unit_id == unit_id)
        .order_by(PinnedUnitRecord.exercise_id)
        .distinct()
    )
    return list(session.scalars(query))


def lock_unit(session: Session, unit_id: str) -> None:
    """Lock the unit's row for this transaction, as the availability PUT's conditional UPDATE
    does: a replace and an availability write of the same unit never interleave."""
    session.execute(
        update(UnitRecord)
        .where(UnitRecord.id == unit_id)
        .values(availability_version=UnitRecord.availability_version),
        execution_options={"synchronize_session": False},
    )
