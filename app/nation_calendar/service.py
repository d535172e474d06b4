"""The nation's view: the current data and a calendar version (published by default)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.calendars import service as calendars_service
from app.errors import ErrorDetail, ResourceNotFound
from app.exports import service as exports_service
from app.nation_calendar.view import NationCalendar, nation_calendar
from app.scenario import repository as scenario_repository
from app.scenario import service as scenario_service


def nation_view(*, session: Session, code: str, calendar_id: str | None) -> NationCalendar:
    """404 for a nation in neither the current data nor the calendar's programme."""
    scenario_repository.read_snapshot(session)
    current = scenario_service.find_scenario(session=session)
    published = calendars_service.latest_approved(session=session)
    if calendar_id is None:
        version = None if published is None else exports_service.version_of(published, session)
    else:
        version = exports_service.calendar_version(session=session, calendar_id=calendar_id)
    known = [s for s in (current, version and version.scenario) if s is not None]
    if not any(n.code == code for s in known for n in s.nations):
        raise ResourceNotFound(
            f"nation {code!r} is not in the programme",
            errors=[ErrorDetail("unknown nation", parameter="code", location="path")],
        )
    return nation_calendar(
        code,
        current=current,
        version=version,
        published=version is not None and published is not None and version.id == published.id,
    )
