"""Explanations are computed once per calendar and kept in its row: its scenario snapshot
and its calendar never change, so the cache never goes stale."""

from __future__ import annotations

import time

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.calendar_conflicts.schemas import CalendarConflicts
from app.calendar_conflicts.scope import for_nation
from app.calendars import service as calendar_service
from app.calendars.published import calendar_not_found
from app.db.models import CalendarRecord
from app.errors import Conflict, ErrorDetail
from solver import (
    Calendar,
    ExplainParams,
    Scenario,
    data_conflicts,
    explain,
    soft_conflicts,
)


def compute(
    calendar_id: str, scenario: Scenario, calendar: Calendar, params: ExplainParams
) -> CalendarConflicts:
    """The conflicts of one calendar (pure: seconds of CP-SAT, no database)."""
    t0 = time.perf_counter()
    unscheduled = explain(scenario, calendar, params)
    soft = soft_conflicts(scenario, calendar, params) if calendar.status != "infeasible" else []
    return CalendarConflicts(
        calendar=calendar_id,
        status=calendar.status,
        unscheduled=unscheduled,
        soft=soft,
        data_conflicts=data_conflicts(scenario),
        minimal=sum(x.status in ("minimal", "static") for x in unscheduled),
        elapsed_s=round(time.perf_counter() - t0, 3),
    )


def calendar_conflicts(
    *,
    session: Session,
    calendar_id: str,
    params: ExplainParams | None = None,
    only_nation: str | None = None,
) -> CalendarConflicts:
    """The cached conflicts of a calendar, computed and stored on first asking (409 while the
    job has no calendar yet). `only_nation` (a liaison officer's own): an approved calendar's
    only (404 for a draft), narrowed by `scope.for_nation`."""
    record = calendar_service.get_record(session=session, calendar_id=calendar_id)
    if only_nation is not None and record.state != "approved":
        raise calendar_not_found(calendar_id)
    result = _cached_or_computed(session, record, calendar_id, params)
    if only_nation is None:
        return result
    calendar = calendar_service.load_calendar(record)
    assert calendar is not None  # an approved calendar always has one
    return for_nation(result, calendar_service.load_snapshot(record), calendar, only_nation)


def _cached_or_computed(
    session: Session, record: CalendarRecord, calendar_id: str, params: ExplainParams | None
) -> CalendarConflicts:
    if record.explanations is not None:
        try:
            return CalendarConflicts.model_validate(record.explanations)
        except ValidationError:
            pass  # kept by an older version: computed again below
    calendar = calendar_service.load_calendar(record)
    if calendar is None:
        raise Conflict(
            f"calendar {calendar_id!r} has no calendar to explain (job {record.status})",
            errors=[
                ErrorDetail(reason=f"the job is {record.status}", parameter="id", location="path")
            ],
        )
    result = compute(
        record.id, calendar_service.load_snapshot(record), calendar, params or ExplainParams()
    )
    record.explanations = result.model_dump(mode="json", by_alias=True)
    session.flush()
    return result
