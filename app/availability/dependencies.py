"""One availability writer at a time on SQLite, queued on the event loop.

SQLite lets one transaction write at a time; the others poll the lock with growing sleeps
(the busy timeout), which under many concurrent officers wastes most of the time asleep.
This dependency queues this process's availability writes on an asyncio lock instead, held
from before the request's session opens until after it has committed (it is resolved before
the session dependency, so it is torn down after it). Waiting holds no worker thread.
PostgreSQL needs no queue: its row locks serialise the conditional UPDATE by themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from app.availability import service
from app.availability.repository import Owner


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


async def _one_writer_on_sqlite(request: Request, _body: RawBody) -> AsyncIterator[None]:
    """Queue after the body has arrived, so a slow upload never holds the others up, and only
    writers whose If-Match is still current: a stale one gets its 412 without waiting."""
    state = request.app.state
    if state.engine.dialect.name != "sqlite":
        yield
        return
    await run_in_threadpool(_refuse_if_stale, request)
    lock = getattr(state, "availability_write_lock", None)
    if lock is None:
        lock = state.availability_write_lock = asyncio.Lock()
    async with lock:
        yield


def _refuse_if_stale(request: Request) -> None:
    params = request.path_params
    owner: Owner = "nation" if "code" in params else "unit"
    key = params["code"] if owner == "nation" else params["unit_id"]
    with request.app.state.sessionmaker() as session:
        service.refuse_if_stale(
            session=session, owner=owner, key=key, if_match=request.headers.get("if-match")
        )


OneWriterOnSqlite = Depends(_one_writer_on_sqlite, scope="function")
