"""The embedded runner: a few long-lived worker processes (spawned), one solve each at a time.

Each worker has its own pipe (tasks in, reports out) and a shared `cancel` value; a thread in
the parent waits on every pipe and every worker's sentinel at once, turns reports into
`JobEvent`s for `on_event`, and notices a worker that died: its job fails with the exit code,
and a fresh worker takes the slot when the next job needs it. Cancelling a running job sets
its worker's `cancel` value to the job's ticket; the solver polls it (every 50 ms inside
CP-SAT) and returns the best calendar found, which ends the job as `cancelled`.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from app.jobs.events import JobEvent, SolveOptions
from app.jobs.worker import run_worker

log = logging.getLogger("app.jobs")

_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(slots=True)
class _Task:
    ticket: int
    job_id: str
    payload: tuple[Any, ...]


@dataclass(slots=True)
class _Slot:
    """One worker process and the job it runs (if any)."""

    index: int
    process: Any = None
    conn: Connection | None = None
    cancel: Any = None
    task: _Task | None = None
    pid: int | None = None
    cancelled: set[int] = field(default_factory=set)


class ProcessPoolRunner:
    """`max_workers` solves at once in worker processes; the rest wait in order."""

    def __init__(
        self,
        *,
        max_workers: int,
        on_event: Callable[[JobEvent], None],
        warm: bool = True,
        nice: int = 0,
    ):
        self._max_workers = max_workers
        self._on_event = on_event
        self._warm = warm
        self._nice = nice
        self._lock = threading.RLock()
        self._slots = [_Slot(index=i) for i in range(max_workers)]
        self._pending: deque[_Task] = deque()
        self._tickets = itertools.count(1)
        self._stopping = threading.Event()
        self._reader: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._reader = threading.Thread(target=self._read, name="pfp-jobs-reader", daemon=True)
        self._reader.start()
        if self._warm:
            with self._lock:
                for slot in self._slots:
                    self._spawn(slot)

    def shutdown(self, grace_s: float = 3.0) -> None:
        """Cancel every job: queued ones end `cancelled` at once, running ones keep their best
        calendar if they stop within `grace_s`, else end `failed`. Then stop the workers."""
        with self._lock:
            pending, self._pending = list(self._pending), deque()
            for slot in self._slots:
                if slot.task is not None:
                    slot.cancel.value = slot.task.ticket
                    slot.cancelled.add(slot.task.ticket)
        for task in pending:
            self._emit(
                JobEvent(task.job_id, "cancelled", error="the service stopped before the solve")
            )
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and self.running():
            time.sleep(0.05)
        self._stopping.set()
        if self._reader is not None:
            self._reader.join(timeout=2)
        lost = []
        with self._lock:
            for slot in self._slots:
                if slot.task is not None:
                    lost.append(slot.task)
                    slot.task = None
                self._stop_worker(slot)
        for task in lost:
            self._emit(
                JobEvent(task.job_id, "failed", error="the service stopped during the solve")
            )

    # -- jobs --------------------------------------------------------------------------------

    def submit(
        self,
        job_id: str,
        scenario_json: str,
        options: SolveOptions,
        base_calendar: dict[str, Any] | None = None,
    ) -> None:
        ticket = next(self._tickets)
        payload = (
            ticket,
            scenario_json,
            (options.time_limit_s, options.workers, options.seed),
            base_calendar,
        )
        with self._lock:
            self._pending.append(_Task(ticket, job_id, payload))
            self._dispatch()

    def cancel(self, job_id: str) -> bool:
        with self._lock:
            queued = next((t for t in self._pending if t.job_id == job_id), None)
            if queued is not None:
                self._pending.remove(queued)
        if queued is not None:
            self._emit(JobEvent(job_id, "cancelled", error="cancelled before it started"))
            return True
        with self._lock:
            for slot in self._slots:
                if slot.task is not None and slot.task.job_id == job_id:
                    slot.cancel.value = slot.task.ticket
                    slot.cancelled.add(slot.task.ticket)
                    return True
        return False

    def running(self) -> list[str]:
        """The jobs being solved now."""
        with self._lock:
            return [s.task.job_id for s in self._slots if s.task is not None]

    def worker_pids(self) -> dict[str, int]:
        """Job id -> the pid of the worker process solving it."""
        with self._lock:
            return {
                s.task.job_id: s.pid
                for s in self._slots
                if s.task is not None and s.pid is not None
            }

    # -- inside --------------------------------------------------------------------------------

    def _spawn(self, slot: _Slot) -> None:
        parent, child = _CONTEXT.Pipe(duplex=True)
        slot.cancel = _CONTEXT.Value("q", 0, lock=False)  # one aligned word: no lock needed
        slot.process = _CONTEXT.Process(
            target=run_worker,
            args=(child, slot.cancel, self._nice),
            name=f"pfp-solve-worker-{slot.index}",
            daemon=True,
        )
        slot.process.start()
        child.close()
        slot.conn = parent
        slot.pid = slot.process.pid

    def _stop_worker(self, slot: _Slot) -> None:
        if slot.process is None:
            return
        try:
            if slot.conn is not None:
                slot.conn.send(None)
        except (OSError, ValueError):
            pass
        slot.process.join(timeout=1)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(timeout=1)
        if slot.conn is not None:
            slot.conn.close()
        slot.process = slot.conn = None

    def _dispatch(self) -> None:
        """Give waiting jobs to idle workers (starting workers as needed); under the lock."""
        if self._stopping.is_set():
            return
        for slot in self._slots:
            if not self._pending:
                return
            if slot.task is not None:
                continue
            if slot.process is None:
                self._spawn(slot)
            task = self._pending.popleft()
            slot.task = task
            slot.cancelled.clear()
            assert slot.conn is not None
            slot.conn.send(task.payload)

    def _emit(self, event: JobEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a failing recorder must not kill the reader
            log.exception("recording %s of job %s failed", event.kind, event.job_id)

    def _read(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                waitables: dict[Any, _Slot] = {}
                for slot in self._slots:
                    if slot.process is not None and slot.conn is not None:
                        waitables[slot.conn] = slot
                        waitables[slot.process.sentinel] = slot
            if not waitables:
                self._stopping.wait(0.05)
                continue
            for ready in wait(list(waitables), timeout=0.1):
                slot = waitables[ready]
                events: list[JobEvent] = []
                if ready is slot.conn:
                    self._drain(slot, events)
                else:
                    self._bury(slot, events)
                for event in events:  # outside the lock: recording writes to the database
                    self._emit(event)

    def _drain(self, slot: _Slot, events: list[JobEvent]) -> None:
        """Every report waiting on `slot`'s pipe; a closed pipe means the worker is gone."""
        with self._lock:
            conn = slot.conn
            try:
                while conn is not None and not conn.closed and conn.poll():
                    self._handle(slot, conn.recv(), events)
            except (EOFError, OSError):
                self._bury(slot, events)

    def _bury(self, slot: _Slot, events: list[JobEvent]) -> None:
        """The worker exited: fail its job (after reading what it said before dying)."""
        with self._lock:
            if slot.process is None:
                return
            conn = slot.conn
            try:
                while conn is not None and conn.poll():
                    self._handle(slot, conn.recv(), events)
            except (EOFError, OSError):
                pass
            slot.process.join(timeout=1)
            code = slot.process.exitcode
            if conn is not None:
                conn.close()
            slot.process = slot.conn = None
            task, slot.task = slot.task, None
            if task is not None:
                log.warning(
                    "solve worker %s died (exit code %s) during job %s", slot.pid, code, task.job_id
                )
                events.append(
                    JobEvent(
                        task.job_id,
                        "failed",
                        error=f"the solve's worker process stopped (exit code {code}) during the solve",
                    )
                )
            self._dispatch()

    def _handle(self, slot: _Slot, message: tuple[Any, ...], events: list[JobEvent]) -> None:
        """One report of a worker, as events; under the lock."""
        kind = message[0]
        task = slot.task
        if kind == "ready" or task is None or message[1] != task.ticket:
            return
        if kind == "started":
            events.append(JobEvent(task.job_id, "started", extra={"pid": slot.pid}))
        elif kind == "progress":
            events.append(JobEvent(task.job_id, "progress", progress=message[2]))
        elif kind in ("done", "error"):
            slot.task = None
            if kind == "error":
                events.append(JobEvent(task.job_id, "failed", error=message[2]))
            elif task.ticket in slot.cancelled or message[2] is None:
                error = None if message[2] is not None else "cancelled before the solve started"
                events.append(JobEvent(task.job_id, "cancelled", calendar=message[2], error=error))
            else:
                events.append(JobEvent(task.job_id, "completed", calendar=message[2]))
            self._dispatch()


__all__ = ["ProcessPoolRunner"]
