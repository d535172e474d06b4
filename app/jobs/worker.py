"""The solve worker: the loop a worker process runs (it imports the solver once, then waits).

Messages to the parent, over the worker's pipe: `("ready", pid)`, `("started", ticket)`,
`("progress", ticket, {...})`, `("done", ticket, calendar dict | None)`, `("error", ticket, text)`.
A task is `(ticket, scenario_json, (time_limit_s, workers, seed), base_calendar | None)`;
`None` ends the loop. The solve stops when the shared `cancel` value equals its ticket.
"""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection
from typing import Any


def progress_figures(progress: Any) -> dict[str, Any]:
    """A `solver.Progress` as the JSON the service stores and streams."""
    kpi = progress.kpi.model_dump()
    bound = progress.bound
    gap = None
    if bound:
        gap = round(max(0, bound - kpi["priority_scheduled"]) / bound, 6)
    return {
        "elapsed_s": round(progress.elapsed_s, 3),
        "kpi": kpi,
        "bound": bound,
        "gap": gap,
        "source": progress.source,
        "changes": getattr(progress, "changes", None),  # re-plans: changes from the base
        "desired_exercises_met": getattr(progress, "desired_exercises_met", None),
    }


def run_worker(conn: Connection, cancel: Any, nice: int = 0) -> None:
    """Serve tasks from `conn` until told to stop (a `None` task or a closed pipe).

    `nice` lowers the process's CPU priority, so the API answers quickly while solves run."""
    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)
    import solver  # imported here, once per process: the first solve starts warm

    lock = threading.Lock()  # progress arrives from CP-SAT's callback thread too

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            conn.send(message)

    send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        ticket, scenario_json, (time_limit_s, workers, seed), base = task
        if cancel.value == ticket:  # cancelled while it was being handed over
            send(("done", ticket, None))
            continue
        send(("started", ticket))
        try:
            scenario = solver.parse_scenario_json(scenario_json)
            extra: dict[str, Any] = {}
            if base is not None:
                extra["base"] = solver.Calendar.model_validate(base)
            params = solver.SolveParams(
                time_limit_s=time_limit_s,
                workers=workers,
                seed=seed,
                progress=lambda p, t=ticket: send(("progress", t, progress_figures(p))),
                should_stop=lambda t=ticket: cancel.value == t,
                **extra,
            )
            calendar = solver.solve(scenario, params)
            send(("done", ticket, calendar.model_dump(mode="json")))
        except Exception as error:  # noqa: BLE001 - reported as the job's failure
            send(("error", ticket, f"{type(error).__name__}: {error}"))


__all__ = ["progress_figures", "run_worker"]
