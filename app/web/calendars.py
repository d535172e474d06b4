"""The calendars page: every solve, the diff between two, and approval (approvers only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.calendars import service as calendars_service
from app.db import SessionDep
from app.dependencies import PageParams
from app.web.routing import page_router
from app.web.templating import render

router = page_router()

LISTED = 200  # the newest solves shown
IdQuery = Annotated[str | None, Query(max_length=16)]


@router.get("/calendars", dependencies=[allow(rules.ALL_DATA_READ)])
def calendars_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    a: IdQuery = None,
    b: IdQuery = None,
    approved: IdQuery = None,
) -> Response:
    """The solves, newest first; `?a=&b=` adds the diff from calendar a to calendar b."""
    listing = calendars_service.list_calendars(
        session=session, page=PageParams(limit=LISTED, offset=0), status=None, state=None
    )
    diff = None
    if a and b:
        diff = calendars_service.diff(session=session, before_id=a, after_id=b)
    return render(
        request,
        "calendars.html",
        title="Calendars - pfp-scheduler",
        calendars=listing.items,
        total=listing.total,
        may_approve=rules.APPROVE.admits(principal.role),
        may_solve=rules.SOLVE.admits(principal.role),
        approvable_jobs=calendars_service.APPROVABLE_JOBS,
        approvable_calendars=calendars_service.APPROVABLE_CALENDARS,
        a=a or "",
        b=b or "",
        diff=diff,
        approved=approved,
    )


@router.post("/calendars/{calendar_id}/approve", dependencies=[allow(rules.APPROVE)])
def approve_calendar(
    session: SessionDep, calendar_id: Annotated[str, Path(max_length=16)]
) -> Response:
    """Approve a draft (the form's CSRF token is checked with the session); back to the list."""
    record = calendars_service.approve(session=session, calendar_id=calendar_id)
    return RedirectResponse(f"/calendars?approved={record.id}", status_code=303)


__all__ = ["router"]
