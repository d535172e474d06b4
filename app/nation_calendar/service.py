"""The nation's view: the current data and a calendar version (published by default)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.calendars import service as calendars_service
from app.calendars.published import calendar_not_found
from app.conflicts.scope import conflicts_for_nation, named_nations, unit_nations
from app.errors import ErrorDetail, ResourceNotFound
from app.exports import service as exports_service
from app.exports.document import CalendarVersion
from app.nation_calendar.view import NationCalendar, nation_calendar
from app.scenario import repository as scenario_repository
from app.scenario import service as scenario_service
from solver import Scenario


def nation_view(
    *, session: Session, code: str, calendar_id: str | None, liaison: bool = False
) -> NationCalendar:
    """404 for a nation in neither the current data nor the calendar's programme. For a
    `liaison` officer: approved calendars only (another: 404 as an unknown id), and the
    conflicts narrowed as `app.conflicts.scope` says."""
    scenario_repository.read_snapshot(session)
    current = scenario_service.find_scenario(session=session)
    published = calendars_service.latest_approved(session=session)
    if calendar_id is None:
        version = None if published is None else exports_service.version_of(published, session)
    else:
        record = calendars_service.get_record(session=session, calendar_id=calendar_id)
        if liaison and record.state != "approved":
            raise calendar_not_found(calendar_id)
        version = exports_service.version_of(record, session)
    known = [s for s in (current, version and version.scenario) if s is not None]
    if not any(n.code == code for s in known for n in s.nations):
        raise ResourceNotFound(
            f"nation {code!r} is not in the programme",
            errors=[ErrorDetail("unknown nation", parameter="code", location="path")],
        )
    view = nation_calendar(
        code,
        current=current,
        version=version,
        published=version is not None and published is not None and version.id == published.id,
    )
    return _for_liaison(view, current, version) if liaison else view


_PUBLIC_DRIFT = frozenset({"approved_site_removed", "approved_site_unavailable"})


def _for_liaison(
    view: NationCalendar, current: Scenario | None, version: CalendarVersion | None
) -> NationCalendar:
    """The view without details of other nations' data: data conflicts as `GET /conflicts`
    shows them to the liaison officer; drift that names another nation or its units only when
    it is about a site."""
    code = view.nation
    unit_nation = {}
    for s in (version and version.scenario, current):
        if s is not None:
            unit_nation |= unit_nations(s)
    data = view.data_conflicts
    if current is not None:
        data = [c for c in conflicts_for_nation(data, current, code) if code in c.nations]
    drift = [
        c
        for c in view.calendar_conflicts
        if c.code in _PUBLIC_DRIFT or named_nations(c.nations, c.units, unit_nation) <= {code}
    ]
    return view.model_copy(update={"data_conflicts": data, "calendar_conflicts": drift})
