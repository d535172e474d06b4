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
CLOSED = None  # what a subscriber's queue receives when the service is stopping


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

    def close_all(self) -> None:
        """End every live stream (the service is stopping); safe from a signal handler."""
        try:
            self._loop.call_soon_threadsafe(self._close_all)
        except RuntimeError:  # the loop is closed: no stream is left
            return

    def listening(self, job_id: str) -> int:
        """How many streams follow `job_id` now."""
        with self._lock:
            return len(self._subscribers.get(job_id, ()))

    def _close_all(self) -> None:
        with self._lock:
            queues = [q for subscribers in self._subscribers.values() for q in subscribers]
        for queue in queues:
            queue.put_nowait(CLOSED)

    def publish(self, event: Any, job_id: str) -> None:
        with self._lock:
            queues = list(self._subscribers.get(job_id, ()))
        for queue in queues:
            try:
                self._loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                return


__all__ = ["CLOSED", "FINAL_KINDS", "Broadcaster", "JobEvent", "JobEventKind", "SolveOptions"]
