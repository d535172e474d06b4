"""Server-sent events of one job: `status` at once, `progress` as it improves, `done` at the end.

Each event is `event: <name>` and `data: <JSON>`; a comment line keeps an idle connection open.
A finished job replays its final state (`status`, `done`) and the stream closes. When the
service stops, open streams get a `closing` event and end.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.calendars import repository, service
from app.jobs import Broadcaster, JobEvent
from app.jobs.events import CLOSED

KEEP_ALIVE_S = 10.0


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, default=str, separators=(',', ':'))}\n\n"


def _view(sessions: sessionmaker[Session], calendar_id: str) -> dict[str, Any] | None:
    with sessions() as session:
        record = repository.get_calendar(session, calendar_id)
        return None if record is None else service.summary(record)


def _done(view: dict[str, Any]) -> str:
    return sse(
        "done",
        {
            "id": view["id"],
            "status": view["status"],
            "calendar_status": view["calendar_status"],
            "kpi": view["kpi"],
            "progress": view["progress"],
            "error": view["error"],
        },
    )


async def job_events(
    calendar_id: str,
    sessions: sessionmaker[Session],
    broadcaster: Broadcaster,
    is_disconnected: Callable[[], Any],
) -> AsyncIterator[str]:
    """The event stream of job `calendar_id` until it ends (or the client leaves)."""
    with broadcaster.subscribe(calendar_id) as queue:
        view = await run_in_threadpool(_view, sessions, calendar_id)
        if view is None:
            return
        yield sse("status", view)
        if view["status"] not in repository.ACTIVE:
            yield _done(view)
            return
        if view["progress"] is not None:
            yield sse("progress", view["progress"])
        while True:
            try:
                event: JobEvent | None = await asyncio.wait_for(queue.get(), timeout=KEEP_ALIVE_S)
            except TimeoutError:
                if await is_disconnected():
                    return
                view = await run_in_threadpool(_view, sessions, calendar_id)
                if view is None or view["status"] not in repository.ACTIVE:
                    if view is not None:
                        yield _done(view)
                    return
                yield ": keep-alive\n\n"
                continue
            if event is CLOSED:
                yield sse("closing", {"id": calendar_id, "reason": "the service is stopping"})
                return
            if event.kind == "progress":
                yield sse("progress", event.progress)
            elif event.kind == "started":
                yield sse("status", {"id": calendar_id, "status": "running"})
            elif event.final:
                view = await run_in_threadpool(_view, sessions, calendar_id)
                if view is not None:
                    yield _done(view)
                return


__all__ = ["job_events", "sse"]
