"""Reading a stored calendar version for export: 404 for an unknown id, 409 while it has none."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.calendars import service as calendars_service
from app.db.models import CalendarRecord
from app.errors import Conflict, ErrorDetail, ResourceNotFound, ServiceError
from app.exports import repository
from app.exports.document import CalendarVersion


class NotAcceptable(ServiceError):
    status_code = 406
    slug = "not-acceptable"


def version_of(
    record: CalendarRecord, session: Session, *, with_previous: bool = False
) -> CalendarVersion:
    """The record as a `CalendarVersion`; 409 when its job has produced no calendar (yet).

    Its SEQUENCE is its rank among approved calendars (0 for a draft); `with_previous` also
    reads the calendar approved before it (for an approved one), for cancelled events."""
    calendar = calendars_service.load_calendar(record)
    if calendar is None:
        still = record.status in ("queued", "running")
        raise Conflict(
            f"calendar {record.id} is {record.status} and has no calendar "
            + ("yet; try again when it completes" if still else "to export"),
            errors=[
                ErrorDetail(f"status is {record.status}", parameter="calendar_id", location="path")
            ],
            headers={"Retry-After": "2"} if still else None,
        )
    approved = record.state == "approved" and record.approved_at is not None
    previous = None
    if approved and with_previous:
        before = repository.previous_approved(session, record.id, record.approved_at)
        if before is not None:
            previous = version_of(before, session)
    return CalendarVersion(
        id=record.id,
        created_at=record.created_at,
        scenario=calendars_service.load_snapshot(record),
        calendar=calendar,
        approved_at=record.approved_at if approved else None,
        sequence=repository.approval_rank(session, record.id, record.approved_at)
        if approved
        else 0,
        previous=previous,
    )


def calendar_version(
    *, session: Session, calendar_id: str, with_previous: bool = False
) -> CalendarVersion:
    record = calendars_service.get_record(session=session, calendar_id=calendar_id)
    return version_of(record, session, with_previous=with_previous)


def published_version(*, session: Session, with_previous: bool = False) -> CalendarVersion | None:
    """The published programme: the latest approved calendar, or None."""
    record = calendars_service.latest_approved(session=session)
    return None if record is None else version_of(record, session, with_previous=with_previous)


def require_published(*, session: Session, with_previous: bool = False) -> CalendarVersion:
    version = published_version(session=session, with_previous=with_previous)
    if version is None:
        raise ResourceNotFound("no calendar has been approved yet: there is no published programme")
    return version


def require_nation(version: CalendarVersion, code: str) -> None:
    """404 unless the nation is in the calendar's scenario."""
    if all(n.code != code for n in version.scenario.nations):
        raise ResourceNotFound(
            f"nation {code!r} is not in the programme of calendar {version.id}",
            errors=[ErrorDetail("unknown nation", parameter="code", location="path")],
        )
