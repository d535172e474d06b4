"""The solve page: start a solve with a time limit, watch its figures live, cancel, open it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from app.auth import rules
from app.auth.rules import allow
from app.calendars import service as calendars_service
from app.db import SessionDep
from app.dependencies import PageParams, SettingsDep
from app.web.routing import page_router
from app.web.templating import render

router = page_router()

IdQuery = Annotated[str | None, Query(max_length=16)]


@router.get("/solve", dependencies=[allow(rules.SOLVE)])
def solve_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    calendar: IdQuery = None,
    base: IdQuery = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The form (a re-plan's base and name may come prefilled), and the job `calendar` if given."""
    approved = calendars_service.list_calendars(
        session=session, page=PageParams(limit=50, offset=0), status=None, state="approved"
    ).items
    job = None
    if calendar:
        job = calendars_service.summary(
            calendars_service.get_record(session=session, calendar_id=calendar)
        )
    return render(
        request,
        "solve.html",
        title="Solve - pfp-scheduler",
        approved=approved,
        base=base or "",
        name=name or "",
        job=job,
        time_limit_default=settings.solve_time_limit_default_s,
        time_limit_max=settings.solve_time_limit_max_s,
    )


__all__ = ["router"]
