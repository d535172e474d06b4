"""/api/v1/nations/{code}/calendar: a liaison officer's view of the nation's units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.db import SessionDep
from app.exports.drift import DRIFT_CODES
from app.nation_calendar import service
from app.nation_calendar.view import NationCalendar

router = APIRouter(tags=["nation calendar"])

_CODES = "\n".join(f"- `{code}`: {meaning}" for code, meaning in DRIFT_CODES.items())


@router.get(
    "/nations/{code}/calendar",
    response_model=NationCalendar,
    responses={
        404: {"description": "unknown nation or calendar"},
        409: {"description": "the calendar's job has no calendar yet"},
    },
    description=(
        "Where the nation's units go and when, in the published programme (the latest approved "
        "calendar) or in `?calendar={id}`: per unit, its assignments (exercise, dates, site, "
        "host nation, the other nations and units); `hosted`: the exercises at sites the nation "
        "hosts. `data_conflicts` are the data conflicts "
        "naming the nation (as `GET /conflicts?nation=`); `calendar_conflicts` what in the "
        "current data no longer fits the calendar shown, for this nation. A liaison officer "
        "may name approved calendars only, and sees no details of other nations' data."
        "\n\nCodes:\n" + _CODES
    ),
    dependencies=[allow(rules.NATION_READ)],
)
def get_nation_calendar(
    session: SessionDep,
    principal: PrincipalDep,
    code: str,
    calendar: Annotated[
        str | None, Query(description="a calendar id; default: the published programme")
    ] = None,
) -> NationCalendar:
    return service.nation_view(
        session=session, code=code, calendar_id=calendar, liaison=principal.is_liaison
    )
