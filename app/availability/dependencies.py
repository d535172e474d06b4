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


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


async def _one_writer_on_sqlite(request: Request, _body: RawBody) -> AsyncIterator[None]:
    """Queue after the body has arrived, so a slow upload never holds the others up."""
    state = request.app.state
    if state.engine.dialect.name != "sqlite":
        yield
        return
    lock = getattr(state, "availability_write_lock", None)
    if lock is None:
        lock = state.availability_write_lock = asyncio.Lock()
    async with lock:
        yield


OneWriterOnSqlite = Depends(_one_writer_on_sqlite, scope="function")
