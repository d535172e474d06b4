"""Exercise requests: list, read, create, replace, delete, each write checked against the contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.db.models import ExerciseRecord
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, ResourceNotFound
from app.exercises import repository
from app.pagination import Page
from app.scenario import mapper, writes
from app.scenario import repository as scenario_repository
from solver import Exercise


def list_exercises(
    *,
    session: Session,
    page: PageParams,
    type_: str | None = None,
    capability: str | None = None,
) -> Page[Exercise]:
    records, total = repository.list_exercises(
        session, type_=type_, capability=capability, limit=page.limit, offset=page.offset
    )
    return Page[Exercise](
        items=[mapper.exercise_model(r) for r in records],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def get_record(*, session: Session, exercise_id: str) -> ExerciseRecord:
    record = repository.get_exercise(session, exercise_id)
    if record is None:
        raise ResourceNotFound(f"no exercise with id {exercise_id!r}")
    return record


def get_exercise(*, session: Session, exercise_id: str) -> Exercise:
    return mapper.exercise_model(get_record(session=session, exercise_id=exercise_id))


def create_exercise(*, session: Session, exercise: Exercise) -> Exercise:
    writes.check_create(
        session=session, collection="exercises", item=exercise, find=repository.get_exercise
    )
    session.add(mapper.fill_exercise(ExerciseRecord(), exercise))
    session.flush()
    audit.record(
        session,
        action="create",
        entity="exercise",
        entity_id=exercise.id,
        after=audit.wire(exercise),
    )
    return exercise


def replace_exercise(*, session: Session, exercise_id: str, exercise: Exercise) -> Exercise:
    record = writes.check_replace(
        session=session,
        collection="exercises",
        path_key=exercise_id,
        item=exercise,
        get_record=lambda: get_record(session=session, exercise_id=exercise_id),
    )
    before = audit.wire(mapper.exercise_model(record))
    mapper.fill_exercise(record, exercise)
    session.flush()
    audit.record(
        session,
        action="replace",
        entity="exercise",
        entity_id=exercise_id,
        before=before,
        after=audit.wire(exercise),
    )
    return exercise


def delete_exercise(*, session: Session, exercise_id: str) -> None:
    scenario_repository.lock_programme(session)
    record = get_record(session=session, exercise_id=exercise_id)
    reasons = [
        f"exercise {e} must come after exercise {exercise_id} (its `after` names it)"
        for e in repository.successors_of(session, exercise_id)
    ]
    if reasons:
        raise Conflict(
            "; ".join(reasons) + ". Change those exercises first.",
            errors=[ErrorDetail(r, pointer="") for r in reasons],
        )
    before = audit.wire(mapper.exercise_model(record))
    session.delete(record)
    session.flush()
    audit.record(session, action="delete", entity="exercise", entity_id=exercise_id, before=before)
