"""/api/v1/calendars (solve jobs and their calendars) and /api/v1/programme (the approved one)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from app.auth import rules
from app.auth.dependencies import PRINCIPAL_KEY, PrincipalDep
from app.auth.principal import Principal
from app.auth.rules import allow
from app.calendars import service
from app.calendars.published import PublishedProgramme, published_view
from app.calendars.schemas import (
    CalendarJob,
    CalendarPage,
    CalendarState,
    JobStatus,
    SolveRequest,
)
from app.calendars.stream import job_events
from app.db import SessionDep
from app.dependencies import PageDep, SettingsDep, require_content_type
from app.errors import ErrorDetail, InvalidInput, ResourceNotFound
from app.jobs import JobRunner
from solver import problems_from_validation_error
from solver.diff import CalendarDiff

router = APIRouter(tags=["calendars"])
log = logging.getLogger("app.calendars")

IdPath = Annotated[str, Path(max_length=16, description="a calendar's id")]
CANCEL_WAIT_S = 2.0


def job_runner(request: Request) -> JobRunner:
    return request.app.state.job_runner


RunnerDep = Annotated[JobRunner, Depends(job_runner)]


async def solve_request(request: Request) -> SolveRequest:
    """The optional JSON body of a solve request; no body at all means every default."""
    raw = await request.body()
    if not raw.strip():
        return SolveRequest()
    require_content_type("application/json")(request)
    try:
        data: Any = json.loads(raw)
        return SolveRequest.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:  # not JSON, or not even text
        raise InvalidInput(
            "the body is not JSON",
            errors=[ErrorDetail(reason=f"invalid JSON: {error}", pointer="")],
        ) from error
    except ValidationError as error:
        problems = problems_from_validation_error(error)
        raise InvalidInput(
            "the solve options are not valid",
            errors=[ErrorDetail(reason=p.reason, pointer=p.pointer) for p in problems],
        ) from error


def _hand_over(request: Request, runner: JobRunner, calendar_id: str, *job: Any) -> None:
    """Give the committed job to the runner; if that fails, the job fails (never stays queued)."""
    try:
        runner.submit(calendar_id, *job)
    except Exception as error:
        log.exception("could not hand job %s to the runner", calendar_id)
        with request.app.state.sessionmaker.begin() as session:
            service.fail_hand_over(session=session, calendar_id=calendar_id, error=error)


@router.post(
    "/calendars",
    status_code=202,
    response_model=CalendarJob,
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": SolveRequest.model_json_schema()}},
        }
    },
    dependencies=[allow(rules.SOLVE)],
)
def request_calendar(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    background: BackgroundTasks,
    response: Response,
    body: Annotated[SolveRequest, Depends(solve_request)],
) -> CalendarJob:
    """Start a solve over the programme as it stands now (snapshot and its sha256 kept).

    Answers 202 at once with the job; follow `Location`, or its `/events` stream.
    """
    record, options, base = service.request_solve(session=session, settings=settings, body=body)
    # handed to the runner once the job's row is committed (after this function returns)
    background.add_task(_hand_over, request, runner, record.id, record.scenario_json, options, base)
    response.headers["Location"] = f"/api/v1/calendars/{record.id}"
    return service.job_view(record)


@router.get("/calendars", response_model=CalendarPage, dependencies=[allow(rules.ALL_DATA_READ)])
def list_calendars(
    session: SessionDep,
    page: PageDep,
    status: Annotated[JobStatus | None, Query()] = None,
    state: Annotated[CalendarState | None, Query()] = None,
) -> CalendarPage:
    """Every solve, newest first (without their calendars); filter by `status` or `state`."""
    return service.list_calendars(session=session, page=page, status=status, state=state)


@router.get(
    "/calendars/{calendar_id}",
    response_model=CalendarJob,
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def get_calendar(session: SessionDep, calendar_id: IdPath) -> CalendarJob:
    """A job's status and progress and, once it is done, its `pfp-calendar/1` in `calendar`."""
    return service.job_view(service.get_record(session=session, calendar_id=calendar_id))


@router.get(
    "/calendars/{calendar_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "server-sent events"}},
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def calendar_events(
    request: Request, session: SessionDep, calendar_id: IdPath
) -> StreamingResponse:
    """Server-sent events: `status` at once, `progress` as the solve improves, `done` at the end."""
    service.get_record(session=session, calendar_id=calendar_id)  # 404 before streaming
    return StreamingResponse(
        job_events(
            calendar_id,
            request.app.state.sessionmaker,
            request.app.state.job_broadcaster,
            request.is_disconnected,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _cancel(
    session_factory: Any, runner: JobRunner, calendar_id: str, principal: Principal
) -> None:
    with session_factory.begin() as session:
        session.info[PRINCIPAL_KEY] = principal  # the audit trail's actor
        service.request_cancel(session=session, calendar_id=calendar_id)
    if not runner.cancel(calendar_id):
        with session_factory.begin() as session:
            service.cancel_unheld(session=session, calendar_id=calendar_id)


def _job(session_factory: Any, calendar_id: str) -> CalendarJob:
    with session_factory() as session:
        return service.job_view(service.get_record(session=session, calendar_id=calendar_id))


@router.post(
    "/calendars/{calendar_id}/cancel",
    response_model=CalendarJob,
    responses={202: {"model": CalendarJob, "description": "asked to stop; not stopped yet"}},
    dependencies=[allow(rules.SOLVE)],
)
async def cancel_calendar(
    request: Request, runner: RunnerDep, principal: PrincipalDep, calendar_id: IdPath
) -> Any:
    """Stop a queued or running solve, keeping the best calendar found (409 once it is over).

    Answers 200 with the stopped job (normally within a second), or 202 if it is still stopping.
    """
    sessions = request.app.state.sessionmaker
    with request.app.state.job_broadcaster.subscribe(calendar_id) as queue:
        await run_in_threadpool(_cancel, sessions, runner, calendar_id, principal)
        job = await run_in_threadpool(_job, sessions, calendar_id)
        if job.status in ("queued", "running"):
            try:
                async with asyncio.timeout(CANCEL_WAIT_S):
                    while not (await queue.get()).final:
                        pass
            except TimeoutError:
                pass
            job = await run_in_threadpool(_job, sessions, calendar_id)
    code = 202 if job.status in ("queued", "running") else 200
    return JSONResponse(job.model_dump(mode="json"), status_code=code)


@router.post(
    "/calendars/{calendar_id}/approve",
    response_model=CalendarJob,
    dependencies=[allow(rules.APPROVE)],
)
def approve_calendar(session: SessionDep, calendar_id: IdPath) -> CalendarJob:
    """draft -> approved: it becomes the published programme and never changes again.

    Only a completed (or cancelled) solve whose calendar is optimal or feasible (else 409).
    """
    return service.job_view(service.approve(session=session, calendar_id=calendar_id))


@router.get(
    "/calendars/{calendar_id}/diff/{other_id}",
    response_model=CalendarDiff,
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def diff_calendars(session: SessionDep, calendar_id: IdPath, other_id: IdPath) -> CalendarDiff:
    """What changed from calendar `calendar_id` to `other_id`: exercises added, dropped, moved
    (dates or site) and their units changed, each with a line in plain words.

    409 while either has no calendar (queued, running, failed)."""
    return service.diff(session=session, before_id=calendar_id, after_id=other_id)


@router.get(
    "/programme",
    response_model=CalendarJob | PublishedProgramme,
    dependencies=[allow(rules.PUBLISHED)],
)
def published_programme(
    session: SessionDep, principal: PrincipalDep
) -> CalendarJob | PublishedProgramme:
    """The published programme: the latest approved calendar (404 while none is approved).

    Staff (admin, planner, approver) get the whole job; liaison officers and viewers the
    programme only (`PublishedProgramme`: no solve statistics, no snapshot, and unscheduled
    exercises' reasons only where they concern no other nation's data)."""
    record = service.latest_approved(session=session)
    if record is None:
        raise ResourceNotFound("no calendar has been approved yet")
    if rules.is_staff(principal):
        return service.job_view(record)
    calendar = service.load_calendar(record)
    assert calendar is not None  # an approved calendar always has one
    return published_view(record, calendar, service.load_snapshot(record), principal.nation)
