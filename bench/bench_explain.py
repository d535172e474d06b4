"""Explanations benchmark: the conflicts of a solved M calendar.

    make bench-explain BENCH_EXPLAIN_ARGS="--size M --seed 1 --solve-s 30 --explain-s 10"

Generates the scenario, solves it (`--solve-s`, 2 workers), then times `solver.explain` on
every unscheduled exercise (one CP-SAT worker, `--explain-s` in all) and the soft conflicts.
Prints the figures (total time, how many explanations were proven minimal, suggestions
verified, the slowest exercise) and writes them to bench/RESULTS-explain.md (`--write`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time
from collections import Counter
from pathlib import Path

import solver
from solver.explain import ExplainParams, explain, soft_conflicts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solve-s", type=float, default=30.0)
    parser.add_argument("--explain-s", type=float, default=10.0)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS-explain.md")
    args = parser.parse_args()

    scenario = solver.generate(args.size, args.seed)
    t0 = time.perf_counter()
    calendar = solver.solve(scenario, solver.SolveParams(time_limit_s=args.solve_s, seed=0))
    solve_s = time.perf_counter() - t0
    print(
        f"{args.size} seed {args.seed}: {len(scenario.exercises)} exercises, solved in "
        f"{solve_s:.1f} s ({calendar.status}), {len(calendar.scheduled)} scheduled, "
        f"{len(calendar.unscheduled)} unscheduled"
    )

    params = ExplainParams(time_limit_s=args.explain_s, workers=1, seed=0)
    t0 = time.perf_counter()
    explanations = explain(scenario, calendar, params)
    explain_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    soft = soft_conflicts(scenario, calendar, params)
    soft_s = time.perf_counter() - t0

    statuses = Counter(x.status for x in explanations)
    minimal = statuses["minimal"] + statuses["static"]
    suggestions = [s for x in explanations for s in x.suggestions]
    verified = sum(s.verified for s in suggestions)
    helped = sum(1 for x in explanations if x.suggestions)
    slowest = max(explanations, key=lambda x: x.elapsed_s, default=None)
    kinds = Counter(s.kind for s in suggestions)
    causes = [len(x.causes) for x in explanations]
    lines = [
        f"explanations: {len(explanations)} of {len(calendar.unscheduled)} unscheduled in "
        f"{explain_s:.2f} s (budget {args.explain_s:g} s)",
        f"proven minimal: {minimal} ({statuses['minimal']} by CP-SAT shrinking, "
        f"{statuses['static']} static); best effort: {statuses['best_effort']}; "
        f"fits as is: {statuses['fits']}; unknown: {statuses['unknown']}",
        f"causes per explanation: min {min(causes, default=0)}, max {max(causes, default=0)}",
        f"suggestions: {len(suggestions)} ({verified} verified) for {helped} exercises; "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"slowest exercise: {slowest.exercise} {slowest.elapsed_s:.2f} s" if slowest else "",
        f"soft conflicts: {len(soft)} in {soft_s:.2f} s "
        f"({sum(s.suggestion is not None for s in soft)} with a verified move)",
    ]
    for line in lines:
        print(line)
    if args.write:
        body = "\n".join(f"- {line}" for line in lines if line)
        (ROOT / "bench" / "RESULTS-explain.md").write_text(
            "# Explanations of a calendar's conflicts (`make bench-explain`)\n\n"
            f"Run {dt.date.today()}, {platform.python_implementation()} "
            f"{platform.python_version()}, on a 2-core machine shared with other work.\n\n"
            f"`{args.size}` seed {args.seed}: {len(scenario.exercises)} exercises, solved with a "
            f"{args.solve_s:g} s limit ({calendar.status}; {len(calendar.scheduled)} scheduled, "
            f"{len(calendar.unscheduled)} unscheduled).\n\n" + body + "\n\n"
            "Every suggestion listed is verified: the change is applied to the scenario (or "
            "the calendar), the exercise's probe is solved again with every rule on, and the "
            "calendar it leads to passes `solver.check_calendar`. Exercises that wait for an "
            "unscheduled predecessor (`after`) get no suggestion of their own.\n"
        )


if __name__ == "__main__":
    main()
