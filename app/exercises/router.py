"""/api/v1/exercises: the exercise requests of the programme."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response, status

from app.auth import rules
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import JsonBody, PageDep
from app.exercises import service
from app.exercises.schemas import ExercisePage
from solver import Exercise
from solver.scenario import ExerciseType

router = APIRouter(prefix="/exercises", tags=["exercises"])

ExerciseIdPath = Annotated[str, Path(description="the exercise's id", examples=["CB95"])]


@router.get("", response_model=ExercisePage, dependencies=[allow(rules.PROGRAMME_READ)])
def list_exercises(
    session: SessionDep,
    page: PageDep,
    type: Annotated[ExerciseType | None, Query(description="the exercise type")] = None,  # noqa: A002
    capability: Annotated[
        str | None, Query(description="exercises that require this capability")
    ] = None,
) -> ExercisePage:
    """The exercise requests, by id; filter by `type` and by a required `capability`."""
    return service.list_exercises(session=session, page=page, type_=type, capability=capability)


@router.get("/{exercise_id}", response_model=Exercise, dependencies=[allow(rules.PROGRAMME_READ)])
def get_exercise(session: SessionDep, exercise_id: ExerciseIdPath) -> Exercise:
    return service.get_exercise(session=session, exercise_id=exercise_id)


@router.post(
    "",
    response_model=Exercise,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(rules.PROGRAMME_WRITE), JsonBody],
)
def create_exercise(session: SessionDep, exercise: Exercise, response: Response) -> Exercise:
    created = service.create_exercise(session=session, exercise=exercise)
    response.headers["Location"] = f"/api/v1/exercises/{quote(created.id, safe='')}"
    return created


@router.put(
    "/{exercise_id}", response_model=Exercise, dependencies=[allow(rules.PROGRAMME_WRITE), JsonBody]
)
def replace_exercise(
    session: SessionDep, exercise_id: ExerciseIdPath, exercise: Exercise
) -> Exercise:
    return service.replace_exercise(session=session, exercise_id=exercise_id, exercise=exercise)


@router.delete(
    "/{exercise_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[allow(rules.PROGRAMME_WRITE)],
)
def delete_exercise(session: SessionDep, exercise_id: ExerciseIdPath) -> Response:
    """Refused (409) while another exercise's `after` names this one."""
    service.delete_exercise(session=session, exercise_id=exercise_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
