"""The service side of solve jobs: recording each job's events, and the runner's life.

`Recorder` is the runner's `on_event`: it writes each event to the `calendars` table (progress
at most every `PROGRESS_EVERY_S` per job; the final status with the calendar, and its diff
against the base, in one transaction), then publishes it to live subscribers (SSE).
`solve_jobs(app, settings)` is entered by the app's lifespan: it marks jobs a previous process
left behind as failed, builds and starts the runner, and shuts it down at the end.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.calendars import repository, service
from app.jobs import Broadcaster, JobEvent, ProcessPoolRunner
from app.settings import Settings
from solver import Calendar
from solver.diff import diff_calendars

log = logging.getLogger("app.calendars")

PROGRESS_EVERY_S = 0.5
FINAL_WRITE_TRIES = 4


def final_progress(last: dict[str, Any] | None, calendar: dict[str, Any]) -> dict[str, Any]:
    """The job's last figures: the calendar's own, with its bound and the search's time."""
    kpi = calendar.get("kpi") or {}
    bound = (calendar.get("bound") or {}).get("priority_scheduled")
    stats = calendar.get("stats") or {}
    elapsed = stats.get("solve_s") or (last or {}).get("elapsed_s") or 0.0
    gap = None
    if bound:
        gap = round(max(0, bound - kpi.get("priority_scheduled", 0)) / bound, 6)
    elif bound == 0:
        gap = 0.0
    return {
        "elapsed_s": round(elapsed, 3),
        "kpi": kpi,
        "bound": bound,
        "gap": gap,
        "source": stats.get("source") or (last or {}).get("source"),
        "changes": stats.get("changes"),
        "desired_exercises_met": stats.get("desired_exercises_met"),
    }


class Recorder:
    """Writes job events to the database, then hands them to the broadcaster."""

    def __init__(self, sessions: sessionmaker[Session], broadcaster: Broadcaster):
        self._sessions = sessions
        self._broadcaster = broadcaster
        self._lock = threading.Lock()
        self._last: dict[str, dict[str, Any]] = {}
        self._written_at: dict[str, float] = {}

    def __call__(self, event: JobEvent) -> None:
        try:
            self._record(event)
        finally:
            self._broadcaster.publish(event, event.job_id)

    def _record(self, event: JobEvent) -> None:
        if event.kind == "progress":
            assert event.progress is not None
            with self._lock:
                self._last[event.job_id] = event.progress
                recent = time.monotonic() - self._written_at.get(event.job_id, 0.0)
                if recent < PROGRESS_EVERY_S:
                    return
                self._written_at[event.job_id] = time.monotonic()
            with self._sessions.begin() as session:
                repository.set_progress(session, event.job_id, event.progress)
            return
        if event.kind == "started":
            with self._sessions.begin() as session:
                repository.mark_started(session, event.job_id, service.now())
            return
        with self._lock:
            last = self._last.pop(event.job_id, None)
            self._written_at.pop(event.job_id, None)
        values: dict[str, Any] = {
            "status": event.kind,
            "finished_at": service.now(),
            "error": event.error,
        }
        if event.calendar is not None:
            values["calendar"] = event.calendar
            values["progress"] = final_progress(last, event.calendar)
            if event.kind == "cancelled" and event.error is None:
                values["error"] = "cancelled; the best calendar found so far is kept"
        elif last is not None:
            values["progress"] = last
        for attempt in range(FINAL_WRITE_TRIES):  # a busy database must not lose the calendar
            try:
                with self._sessions.begin() as session:
                    if event.calendar is not None:
                        values["diff"] = self._diff(session, event.job_id, event.calendar)
                    repository.finish(session, event.job_id, **values)
                return
            except OperationalError:
                if attempt == FINAL_WRITE_TRIES - 1:
                    raise
                log.warning("writing the end of job %s failed; trying again", event.job_id)
                time.sleep(0.5 * (attempt + 1))

    @staticmethod
    def _diff(session: Session, job_id: str, calendar: dict[str, Any]) -> dict[str, Any] | None:
        record = repository.get_calendar(session, job_id)
        if record is None or record.base_id is None:
            return None
        base = repository.get_calendar(session, record.base_id)
        if base is None or base.calendar is None:
            return None
        after = Calendar.model_validate(calendar)
        before = Calendar.model_validate(base.calendar)
        scenario = service.load_snapshot(record)
        return diff_calendars(before, after, scenario).model_dump(mode="json")


@asynccontextmanager
async def solve_jobs(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """Run solve jobs for the app's life; `app.state.job_runner` and `.job_broadcaster`."""
    sessions: sessionmaker[Session] = app.state.sessionmaker

    def fail_abandoned() -> int:
        with sessions.begin() as session:
            return service.fail_abandoned(session=session)

    try:
        abandoned = await run_in_threadpool(fail_abandoned)
    except SQLAlchemyError as error:  # the app still starts; /readyz tells the database is down
        log.error("could not mark the solve jobs a previous process left behind: %s", error)
        abandoned = 0
    if abandoned:
        log.warning("%d solve job(s) left by a previous process marked failed", abandoned)
    broadcaster = Broadcaster(asyncio.get_running_loop())
    runner = ProcessPoolRunner(
        max_workers=settings.solve_workers_max,
        on_event=Recorder(sessions, broadcaster),
        warm=settings.solve_workers_warm,
        nice=settings.solve_worker_nice,
    )
    runner.start()
    app.state.job_runner = runner
    app.state.job_broadcaster = broadcaster
    try:
        yield
    finally:
        await run_in_threadpool(runner.shutdown)


__all__ = ["PROGRESS_EVERY_S", "Recorder", "final_progress", "solve_jobs"]
