"""The timeline pages: the published programme (`/`) and any calendar (`/calendars/{id}`)."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.calendars import service as calendars_service
from app.calendars.published import public_calendar
from app.db import SessionDep
from app.db.models import CalendarRecord
from app.exports import service as exports_service
from app.exports.document import CalendarVersion
from app.web.routing import page_router
from app.web.templating import render
from app.web.timeline import VIEWS, build_timeline

router = page_router()

ViewQuery = Annotated[str, Query(max_length=10, description="site, nation or unit")]
TextQuery = Annotated[str | None, Query(max_length=100)]


def _choice(value: str | None) -> str | None:
    """A filter's value; the empty string of a form's "all" option means no filter."""
    return value.strip() or None if value else None


def _timeline_page(
    request: Request,
    version: CalendarVersion | None,
    *,
    heading: str,
    record: CalendarRecord | None,
    view: str,
    month: str | None,
    exercise_type: str | None,
    nation: str | None,
    empty_message: str = "",
    published_id: str | None = None,
) -> Response:
    timeline = None
    unscheduled = []
    if version is not None:
        timeline = build_timeline(
            version.scenario,
            version.calendar,
            view=view if view in VIEWS else "site",  # type: ignore[arg-type]
            month=_choice(month),
            exercise_type=_choice(exercise_type),
            nation=_choice(nation),
        )
        names = {e.id: e.name for e in version.scenario.exercises}
        unscheduled = [
            (u.exercise, names.get(u.exercise, u.exercise), u.reasons[0].message)
            for u in version.calendar.unscheduled
        ]
    return render(
        request,
        "timeline.html",
        title=f"{heading} - pfp-scheduler",
        heading=heading,
        version=version,
        record=record,
        timeline=timeline,
        unscheduled=unscheduled,
        views=VIEWS,
        selected={
            "view": view if view in VIEWS else "site",
            "month": _choice(month) or "",
            "type": _choice(exercise_type) or "",
            "nation": _choice(nation) or "",
        },
        empty_message=empty_message,
        published_id=published_id,
    )


@router.get("/", dependencies=[allow(rules.PUBLISHED)])
def programme_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    view: ViewQuery = "site",
    month: TextQuery = None,
    type: TextQuery = None,  # noqa: A002 - the query parameter's name
    nation: TextQuery = None,
) -> Response:
    """The published programme (the latest approved calendar) as a timeline."""
    version = exports_service.published_version(session=session)
    record = None
    if version is not None:
        record = calendars_service.get_record(session=session, calendar_id=version.id)
        if not rules.is_staff(principal):  # the programme only: no other nation's limits
            public = public_calendar(version.calendar, version.scenario, principal.nation)
            version = dataclasses.replace(version, calendar=public)
    return _timeline_page(
        request,
        version,
        heading="Published programme",
        record=record,
        view=view,
        month=month,
        exercise_type=type,
        nation=nation,
        empty_message="No calendar has been approved yet, so there is no published programme."
        + (" Open Calendars to approve one." if rules.APPROVE.admits(principal.role) else ""),
    )


@router.get("/calendars/{calendar_id}", dependencies=[allow(rules.ALL_DATA_READ)])
def calendar_page(
    request: Request,
    session: SessionDep,
    calendar_id: Annotated[str, Path(max_length=16)],
    view: ViewQuery = "site",
    month: TextQuery = None,
    type: TextQuery = None,  # noqa: A002 - the query parameter's name
    nation: TextQuery = None,
) -> Response:
    """Any calendar version as a timeline (a job still solving says so and links to it)."""
    record = calendars_service.get_record(session=session, calendar_id=calendar_id)
    published = calendars_service.latest_approved(session=session)
    version = None
    message = ""
    if record.calendar is not None:
        version = exports_service.version_of(record, session)
    elif record.status in ("queued", "running"):
        message = "This solve is still running: follow it on the Solve page."
    else:
        message = f"This solve is {record.status} and produced no calendar."
        if record.error:
            message += f" {record.error}"
    return _timeline_page(
        request,
        version,
        heading=f"Calendar {record.name or record.id}",
        record=record,
        view=view,
        month=month,
        exercise_type=type,
        nation=nation,
        empty_message=message,
        published_id=published.id if published is not None else None,
    )


__all__ = ["router"]
