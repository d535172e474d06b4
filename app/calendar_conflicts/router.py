"""GET /api/v1/calendars/{id}/conflicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.calendar_conflicts import service
from app.calendar_conflicts.schemas import CalendarConflicts
from app.db import SessionDep

router = APIRouter(tags=["calendars"])


@router.get(
    "/calendars/{calendar_id}/conflicts",
    response_model=CalendarConflicts,
    responses={404: {"description": "no such calendar"}, 409: {"description": "no calendar yet"}},
    description=(
        "Why each unscheduled exercise of the calendar is out: the smallest set of causes "
        "CP-SAT finds (units, nations, sites, dates, other exercises' placements), in plain "
        "words, with suggested changes that would let it in, each verified by solving again "
        "and re-checking the calendar it leads to, with its cost to the rest of the "
        "programme. Also the missed wishes (preferred months, desired exercises) and the "
        "data conflicts of the scenario the calendar was solved for. Computed on first "
        "asking (a few seconds, off the event loop) and kept with the calendar.\n\n"
        "A liaison officer may read an approved calendar's only (a draft answers 404, as an "
        "unknown id), narrowed to what concerns their nation: the exercises it could take "
        "part in or host, causes and suggestions about its own data, never other nations' "
        "availability, limits or budget."
    ),
    dependencies=[allow(rules.CONFLICTS)],
)
def get_calendar_conflicts(
    session: SessionDep,
    principal: PrincipalDep,
    calendar_id: Annotated[str, Path(max_length=16, description="the calendar's id")],
) -> CalendarConflicts:
    # a plain `def`: FastAPI runs it in its thread pool, so the solves never block the loop
    return service.calendar_conflicts(
        session=session, calendar_id=calendar_id, only_nation=principal.nation_filter()
    )
