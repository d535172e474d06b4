"""Queries about exercises."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import AfterLinkRecord, ExerciseRecord, RequirementRecord

_CHILDREN = (
    selectinload(ExerciseRecord.requirements),
    selectinload(ExerciseRecord.eligible_sites),
    selectinload(ExerciseRecord.after),
    selectinload(ExerciseRecord.pinned_units),
)


def list_exercises(
    session: Session,
    *,
    type_: str | None,
    capability: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ExerciseRecord], int]:
    query = select(ExerciseRecord)
    if type_ is not None:
        query = query.where(ExerciseRecord.type == type_)
    if capability is not None:
        needing = select(RequirementRecord.exercise_id).where(
            RequirementRecord.capability == capability
        )
        query = query.where(ExerciseRecord.id.in_(needing))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.options(*_CHILDREN).order_by(ExerciseRecord.id).limit(limit).offset(offset)
    return list(session.scalars(page)), total


def get_exercise(session: Session, exercise_id: str) -> ExerciseRecord | None:
    return session.get(ExerciseRecord, exercise_id, options=list(_CHILDREN))


def successors_of(session: Session, exercise_id: str) -> list[str]:
    """Exercises whose `after` names this one."""
    query = (
        select(AfterLinkRecord.exercise_id)
        .where(AfterLinkRecord.predecessor_id == exercise_id)
        .order_by(AfterLinkRecord.exercise_id)
        .distinct()
    )
    return list(session.scalars(query))
