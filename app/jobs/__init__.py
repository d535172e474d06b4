"""Solve jobs run off the event loop: the runner interface and the embedded process pool.

`JobRunner` is what the service needs from a runner (submit, cancel, shutdown; events go to
the `on_event` callback given at construction). `ProcessPoolRunner` is the embedded default;
a queue-backed runner can take its place later behind the same interface.
"""

from app.jobs.events import Broadcaster, JobEvent, JobEventKind, SolveOptions
from app.jobs.pool import ProcessPoolRunner
from app.jobs.runner import JobRunner

__all__ = [
    "Broadcaster",
    "JobEvent",
    "JobEventKind",
    "JobRunner",
    "ProcessPoolRunner",
    "SolveOptions",
]
