"""What a solve job reports, and the fan-out of those reports to live subscribers (SSE)."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

JobEventKind = Literal["started", "progress", "completed", "cancelled", "failed"]
FINAL_KINDS: frozenset[str] = frozenset({"completed", "cancelled", "failed"})


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """How long and how hard one solve searches (`solver.SolveParams` without the callbacks)."""

    time_limit_s: float
    workers: int
    seed: int


@dataclass(frozen=True, slots=True)
class JobEvent:
    """One report of a job: it started, improved (`progress`), or ended (with its calendar)."""

    job_id: str
    kind: JobEventKind
    progress: dict[str, Any] | None = None
    calendar: dict[str, Any] | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def final(self) -> bool:
        return self.kind in FINAL_KINDS


class Broadcaster:
    """Hands each job's events to the asyncio queues of its subscribers; `publish` may be
    called from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[asyncio.Queue[Any]]] = defaultdict(set)

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Queue[Any]]:
        queue: asyncio.Queue[Any] = asyncio.Queue()
        with self._lock:
            self._subscribers[job_id].add(queue)
        try:
            yield queue
        finally:
            with self._lock:
                self._subscribers[job_id].discard(queue)
                if not self._subscribers[job_id]:
                    del self._subscribers[job_id]

    def publish(self, event: Any, job_id: str) -> None:
        with self._lock:
            queues = list(self._subscribers.get(job_id, ()))
        for queue in queues:
            try:
                self._loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                return


__all__ = ["FINAL_KINDS", "Broadcaster", "JobEvent", "JobEventKind", "SolveOptions"]
