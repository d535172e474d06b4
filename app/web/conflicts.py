"""The conflicts page: what is wrong in the data now, and why a calendar's unscheduled
exercises are out, with the suggested fixes (a planner opens one as a re-plan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.calendar_conflicts import service as calendar_conflicts_service
from app.calendars import service as calendars_service
from app.conflicts import service as conflicts_service
from app.db import SessionDep
from app.dependencies import PageParams
from app.web.routing import page_router
from app.web.templating import render

router = page_router()

CHOICES = 100  # the newest calendars offered in the calendar chooser


@router.get("/conflicts", dependencies=[allow(rules.CONFLICTS)])
def conflicts_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    calendar: Annotated[str | None, Query(max_length=16)] = None,
    severity: Annotated[str | None, Query(max_length=10)] = None,
    nation: Annotated[str | None, Query(max_length=2)] = None,
) -> Response:
    """The data conflicts (a liaison officer's: those concerning their nation) and the
    explanations of `calendar` (default: the published programme)."""
    only_nation = principal.nation_filter()
    severity = severity if severity in ("error", "warning") else None
    nation = (nation or None) if only_nation is None else None
    data = conflicts_service.list_conflicts(
        session=session,
        keep=conflicts_service.ConflictFilter(severity=severity, nation=nation),
        only_nation=only_nation,
    )
    published = calendars_service.latest_approved(session=session)
    staff = rules.is_staff(principal)
    if staff:
        choices = [
            c
            for c in calendars_service.list_calendars(
                session=session, page=PageParams(CHOICES, 0), status=None, state=None
            ).items
            if c.calendar_status is not None
        ]
    else:  # a liaison officer: approved calendars only
        choices = calendars_service.list_calendars(
            session=session, page=PageParams(CHOICES, 0), status=None, state="approved"
        ).items
    chosen = calendar or (published.id if published is not None else None)
    explained = None
    record = None
    if chosen:
        record = calendars_service.get_record(session=session, calendar_id=chosen)
        if record.calendar is not None:
            explained = calendar_conflicts_service.calendar_conflicts(
                session=session, calendar_id=chosen, only_nation=only_nation
            )
    # a re-plan starts from an approved calendar: the one shown if approved, else the published
    base = None
    if record is not None and record.state == "approved":
        base = record.id
    elif published is not None:
        base = published.id
    return render(
        request,
        "conflicts.html",
        title="Conflicts - pfp-scheduler",
        data=data,
        choices=choices,
        chosen=chosen or "",
        record=record,
        explained=explained,
        may_replan=rules.SOLVE.admits(principal.role),
        staff=staff,
        severity=severity or "",
        nation=nation or "",
        nations=sorted(
            {code for c in data.items for code in c.nations} | ({nation} if nation else set())
        ),
        base=base,
    )


__all__ = ["router"]
