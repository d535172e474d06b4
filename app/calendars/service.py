"""Solve requests, job views, approval and the published programme."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.dependencies import principal_of
from app.auth.principal import Principal, Role
from app.calendars import repository
from app.calendars.schemas import CalendarJob, CalendarPage, CalendarSummary, SolveRequest
from app.db.models import CalendarRecord
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, InvalidInput, ResourceNotFound, TooManyRequests
from app.jobs import SolveOptions
from app.scenario import repository as scenario_repository
from app.scenario import service as scenario_service
from app.settings import Settings
from solver import Calendar, Scenario, parse_scenario_json
from solver.diff import CalendarDiff, diff_calendars

RESTARTED = "the service restarted during the solve"
APPROVABLE_JOBS = ("completed", "cancelled")
APPROVABLE_CALENDARS = ("optimal", "feasible")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_calendar_id() -> str:
    """12 URL-safe characters (72 random bits)."""
    return secrets.token_urlsafe(9)


def get_record(*, session: Session, calendar_id: str) -> CalendarRecord:
    record = repository.get_calendar(session, calendar_id)
    if record is None:
        raise ResourceNotFound(
            f"no calendar {calendar_id!r}",
            errors=[ErrorDetail(reason="no such calendar", parameter="id", location="path")],
        )
    return record


def load_snapshot(record: CalendarRecord) -> Scenario:
    """The scenario the calendar was solved for (as it stood when the solve was requested)."""
    return parse_scenario_json(record.scenario_json)


def load_calendar(record: CalendarRecord) -> Calendar | None:
    return None if record.calendar is None else Calendar.model_validate(record.calendar)


def latest_approved(*, session: Session) -> CalendarRecord | None:
    return repository.latest_approved(session)


def _base_record(session: Session, base_id: str) -> CalendarRecord:
    base = repository.get_calendar(session, base_id)
    if base is None:
        raise InvalidInput(
            f"no calendar {base_id!r} to re-plan from",
            errors=[ErrorDetail(reason="no such calendar", pointer="/base")],
        )
    if base.state != "approved":
        raise InvalidInput(
            f"calendar {base_id!r} is not approved; only an approved calendar can be a base",
            errors=[ErrorDetail(reason="not an approved calendar", pointer="/base")],
        )
    return base


def _consistent_read(session: Session) -> None:
    """The snapshot is one state of the data and the per-token count of solves is exact: the
    programme's lock is taken first (a row lock on PostgreSQL, the write lock on SQLite), so no
    write of the programme's data and no other solve request runs until this one commits. (A
    REPEATABLE READ snapshot would not do on PostgreSQL: the count must see the solve another
    request committed while this one waited, and taking the row lock in such a snapshot after
    a concurrent write fails with a serialization error.)"""
    scenario_repository.lock_programme(session)


def _time_limit_cap(settings: Settings, principal: Principal) -> tuple[float, str]:
    """The longest time limit `principal`'s role may ask for, and the setting that says so."""
    if principal.role is Role.admin:
        return settings.solve_time_limit_max_s, "PFP_SOLVE_TIME_LIMIT_MAX_S"
    cap = min(settings.planner_solve_time_limit_max_s, settings.solve_time_limit_max_s)
    return cap, "PFP_PLANNER_SOLVE_TIME_LIMIT_MAX_S"


def _check_quota(session: Session, settings: Settings, principal: Principal) -> None:
    """429 when `principal`'s token already has PFP_SOLVES_PER_TOKEN_MAX solves queued or
    running; `Retry-After` is when the first of them should be over (its time limit)."""
    if principal.token_id is None:
        return
    active = repository.active_of(session, principal.token_id)
    most = settings.solves_per_token_max
    if len(active) < most:
        return
    at = now()
    left = [
        float((params or {}).get("time_limit_s") or settings.solve_time_limit_default_s)
        - ((at - started).total_seconds() if started is not None else 0.0)
        for started, params in active
    ]
    retry_after = max(1, math.ceil(min(left)))
    raise TooManyRequests(
        f"this token already has {len(active)} solves queued or running, the most it may have "
        f"(PFP_SOLVES_PER_TOKEN_MAX={most}); cancel one or wait for one to finish",
        errors=[
            ErrorDetail(reason=f"at most {most} solves queued or running per token", pointer="")
        ],
        headers={"Retry-After": str(retry_after)},
    )


def request_solve(
    *, session: Session, settings: Settings, body: SolveRequest
) -> tuple[CalendarRecord, SolveOptions, dict[str, Any] | None]:
    """A new queued job over the scenario as it stands, asked for by the session's principal
    (its time limit capped by the role, at most PFP_SOLVES_PER_TOKEN_MAX of them at once per
    token); what to hand the runner."""
    principal: Principal = principal_of(session)
    cap, cap_setting = _time_limit_cap(settings, principal)
    time_limit_s = body.time_limit_s or min(settings.solve_time_limit_default_s, cap)
    if time_limit_s > cap:
        raise InvalidInput(
            f"time_limit_s {time_limit_s:g} is above the cap of {cap:g} s for a "
            f"{principal.role.value} ({cap_setting})",
            errors=[ErrorDetail(reason=f"must be at most {cap:g}", pointer="/time_limit_s")],
        )
    _consistent_read(session)
    _check_quota(session, settings, principal)
    base = _base_record(session, body.base) if body.base is not None else None
    scenario = scenario_service.load_scenario(session=session)  # 409 when there is no programme
    scenario_json = scenario.model_dump_json(exclude_none=True)
    options = SolveOptions(time_limit_s=time_limit_s, workers=body.workers, seed=body.seed)
    record = CalendarRecord(
        id=new_calendar_id(),
        name=body.name,
        status="queued",
        state="draft",
        created_at=now(),
        params={"time_limit_s": time_limit_s, "workers": body.workers, "seed": body.seed},
        scenario_json=scenario_json,
        scenario_sha256=hashlib.sha256(scenario_json.encode()).hexdigest(),
        base_id=base.id if base is not None else None,
        requested_by=principal.token_id,
    )
    repository.add_calendar(session, record)
    audit.record(
        session, action="solve", entity="calendar", entity_id=record.id, after=_audited(record)
    )
    return record, options, (base.calendar if base is not None else None)


def summary(record: CalendarRecord) -> dict[str, Any]:
    calendar = record.calendar or {}
    return {
        "id": record.id,
        "name": record.name,
        "status": record.status,
        "state": record.state,
        "created_at": record.created_at,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "approved_at": record.approved_at,
        "params": record.params,
        "scenario_sha256": record.scenario_sha256,
        "base": record.base_id,
        "progress": record.progress,
        "error": record.error,
        "calendar_status": calendar.get("status"),
        "kpi": calendar.get("kpi"),
    }


def _audited(record: CalendarRecord) -> dict[str, Any] | None:
    """A job as the audit trail keeps it: as listed (without the calendar itself)."""
    return audit.wire(CalendarSummary.model_validate(summary(record)))


def job_view(record: CalendarRecord) -> CalendarJob:
    return CalendarJob.model_validate(
        summary(record) | {"calendar": record.calendar, "diff": record.diff}
    )


def list_calendars(
    *, session: Session, page: PageParams, status: str | None, state: str | None
) -> CalendarPage:
    rows, total = repository.list_calendars(
        session, status=status, state=state, limit=page.limit, offset=page.offset
    )
    return CalendarPage(
        items=[CalendarSummary.model_validate(summary(r)) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def check_cancellable(record: CalendarRecord) -> None:
    if record.status not in repository.ACTIVE:
        raise Conflict(
            f"calendar {record.id!r} is already {record.status}; only a queued or running solve "
            "can be cancelled"
        )


def request_cancel(*, session: Session, calendar_id: str) -> None:
    """Check the job can be cancelled and record who asked (its end is the job's own)."""
    record = get_record(session=session, calendar_id=calendar_id)
    check_cancellable(record)
    audit.record(
        session, action="cancel", entity="calendar", entity_id=calendar_id, before=_audited(record)
    )


def cancel_unheld(*, session: Session, calendar_id: str) -> None:
    """A job the runner does not hold (its hand-over was still on the way): cancelled here."""
    repository.finish(
        session,
        calendar_id,
        status="cancelled",
        finished_at=now(),
        error="cancelled before it started",
    )


def fail_hand_over(*, session: Session, calendar_id: str, error: Exception) -> None:
    """The runner refused the job (say, no worker process could start): it fails at once."""
    repository.finish(
        session,
        calendar_id,
        status="failed",
        finished_at=now(),
        error=f"the solve could not be started: {type(error).__name__}: {error}",
    )


def approve(*, session: Session, calendar_id: str) -> CalendarRecord:
    """draft -> approved, for a finished job with a usable calendar; approving again is a no-op."""
    record = get_record(session=session, calendar_id=calendar_id)
    if record.state == "approved":
        return record
    calendar_status = (record.calendar or {}).get("status")
    if record.status not in APPROVABLE_JOBS or calendar_status not in APPROVABLE_CALENDARS:
        shown = record.status if record.calendar is None else f"{record.status} ({calendar_status})"
        raise Conflict(
            f"calendar {calendar_id!r} is {shown}; only a completed (or cancelled) solve with an "
            "optimal or feasible calendar can be approved"
        )
    before = _audited(record)
    if not repository.approve(session, calendar_id, now()):
        raise Conflict(f"calendar {calendar_id!r} changed while being approved; try again")
    session.refresh(record)
    audit.record(
        session,
        action="approve",
        entity="calendar",
        entity_id=calendar_id,
        before=before,
        after=_audited(record),
    )
    return record


def _calendar_of(
    session: Session, calendar_id: str, parameter: str
) -> tuple[CalendarRecord, Calendar]:
    record = repository.get_calendar(session, calendar_id)
    if record is None:
        raise ResourceNotFound(
            f"no calendar {calendar_id!r}",
            errors=[ErrorDetail(reason="no such calendar", parameter=parameter, location="path")],
        )
    calendar = load_calendar(record)
    if calendar is None:
        raise Conflict(
            f"calendar {calendar_id!r} has no calendar to compare ({record.status})",
            errors=[
                ErrorDetail(reason=f"job {record.status}", parameter=parameter, location="path")
            ],
        )
    return record, calendar


def diff(*, session: Session, before_id: str, after_id: str) -> CalendarDiff:
    """What changed from one calendar to another (names from the later one's snapshot)."""
    _, before = _calendar_of(session, before_id, "id")
    after_record, after = _calendar_of(session, after_id, "other_id")
    return diff_calendars(before, after, load_snapshot(after_record))


def fail_abandoned(*, session: Session) -> int:
    """At startup: jobs a previous process left queued or running are marked failed."""
    return repository.fail_active(session, reason=RESTARTED, at=now())


__all__ = [
    "RESTARTED",
    "approve",
    "cancel_unheld",
    "check_cancellable",
    "diff",
    "fail_abandoned",
    "fail_hand_over",
    "get_record",
    "job_view",
    "latest_approved",
    "list_calendars",
    "load_calendar",
    "load_snapshot",
    "new_calendar_id",
    "now",
    "request_cancel",
    "request_solve",
    "summary",
]
