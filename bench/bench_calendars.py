"""Solve jobs against a live uvicorn with the M programme loaded (solver.generate("M", 1)).

Figures: time from POST to the first `progress` event (target < 1 s), time from the cancel
request to the job's end (target < 1 s), and the latency of GET /api/v1/nations while two solves
run (p99 target < 100 ms). Run by `make bench-calendars`; notes in bench/RESULTS-calendars.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import httpx
from api_servers import (
    admin_token,
    bearer,
    postgres_base_url,
    postgres_database,
    sqlite_database,
    uvicorn_server,
)

from solver import generate


def first_progress_and_cancel(
    base: str, headers: dict[str, str], time_limit_s: float
) -> tuple[float, float, float]:
    """(POST -> first progress event, cancel request -> answer, cancel request -> `done`)."""
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        t0 = time.perf_counter()
        job = client.post("/api/v1/calendars", json={"time_limit_s": time_limit_s}).json()
        first = cancel_answer = done = None
        with client.stream("GET", f"/api/v1/calendars/{job['id']}/events") as stream:
            event = None
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "progress" and first is None:
                    first = time.perf_counter() - t0
                    t1 = time.perf_counter()
                    with httpx.Client(base_url=base, timeout=60, headers=headers) as other:
                        answer = other.post(f"/api/v1/calendars/{job['id']}/cancel")
                    cancel_answer = time.perf_counter() - t1
                    assert answer.json()["status"] == "cancelled", answer.text
                elif line.startswith("data: ") and event == "done":
                    done = time.perf_counter() - t1
                    break
        assert first is not None and cancel_answer is not None and done is not None
        return first, cancel_answer, done


def latency_during_solves(base: str, headers: dict[str, str], requests: int) -> list[float]:
    """Latencies (ms) of GET /api/v1/nations, one at a time, while two solves run."""
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        jobs = [
            client.post("/api/v1/calendars", json={"time_limit_s": 120}).json() for _ in range(2)
        ]
        while any(
            client.get(f"/api/v1/calendars/{j['id']}").json()["status"] != "running" for j in jobs
        ):
            time.sleep(0.05)
        samples = []
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get("/api/v1/nations", params={"limit": 50})
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        statuses = [client.get(f"/api/v1/calendars/{j['id']}").json()["status"] for j in jobs]
        assert statuses == ["running", "running"], statuses
        for j in jobs:
            client.post(f"/api/v1/calendars/{j['id']}/cancel")
        return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="solves started and cancelled")
    parser.add_argument("--requests", type=int, default=500, help="GETs during two solves")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL (PFP_BENCH_POSTGRES_URL or local)"
    )
    args = parser.parse_args()
    scenario = generate("M", 1).model_dump_json(exclude_none=True)
    if args.postgres:
        base_url = postgres_base_url()
        if base_url is None:
            raise SystemExit("no PostgreSQL answers (set PFP_BENCH_POSTGRES_URL)")
        database = postgres_database(base_url)
    else:
        database = sqlite_database()
    with database as url:
        headers = bearer(admin_token(url))
        env = {"PFP_DATABASE_URL": url, "PFP_SOLVE_WORKERS_MAX": "2", "PFP_LOG_LEVEL": "warning"}
        with uvicorn_server("app.main:create_app", env, factory=True) as base:
            loaded = httpx.put(
                base + "/api/v1/scenario",
                content=scenario,
                headers={"content-type": "application/json", **headers},
                timeout=60,
            )
            assert loaded.status_code == 200, loaded.text
            cold = first_progress_and_cancel(base, headers, 60)  # workers may still be importing
            rounds = [first_progress_and_cancel(base, headers, 60) for _ in range(args.rounds)]
            samples = latency_during_solves(base, headers, args.requests)
    firsts, answers, dones = zip(*rounds, strict=True)
    figures = {
        "scenario": "M (generate('M', 1)): 300 units, 60 exercises; 2 solve workers",
        "database": "postgresql" if args.postgres else "sqlite",
        "rounds": args.rounds,
        "load_average": os.getloadavg(),
        "first_solve_after_start_s": {"first_progress": cold[0], "cancel_answer": cold[1]},
        "first_progress_s": {"max": max(firsts), "median": statistics.median(firsts)},
        "cancel_answer_s": {"max": max(answers), "median": statistics.median(answers)},
        "cancel_to_done_event_s": {"max": max(dones), "median": statistics.median(dones)},
        "nations_get_during_two_solves_ms": {
            "requests": len(samples),
            "p50": percentile(samples, 0.50),
            "p99": percentile(samples, 0.99),
            "max": max(samples),
        },
    }
    print(json.dumps(figures, indent=2, default=lambda x: round(x, 3)))


if __name__ == "__main__":
    main()
