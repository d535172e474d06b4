"""The interface between the service and whatever runs its solves."""

from __future__ import annotations

from typing import Any, Protocol

from app.jobs.events import SolveOptions


class JobRunner(Protocol):
    """Runs solve jobs; reports each job's events to the callback it was built with.

    Every submitted job ends with exactly one final event (`completed`, `cancelled` or
    `failed`), also when its worker dies or the runner shuts down.
    """

    def start(self) -> None: ...

    def submit(
        self,
        job_id: str,
        scenario_json: str,
        options: SolveOptions,
        base_calendar: dict[str, Any] | None = None,
    ) -> None: ...

    def cancel(self, job_id: str) -> bool:
        """Ask the job to stop; False when the runner does not hold it (already over)."""
        ...

    def shutdown(self, grace_s: float = 3.0) -> None: ...


__all__ = ["JobRunner"]
