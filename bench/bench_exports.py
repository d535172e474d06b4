"""Exports benchmark: JSON, CSV and iCalendar of a solved calendar, drift and the nation view.

    .venv/bin/python bench/bench_exports.py --size M --seed 1 --solve-s 10

Generates the scenario, solves it (one worker), then times each pure function (median of
`--repeat` runs) and prints the figures with the document sizes. No database, no HTTP: the
endpoints add the calendar's load (`parse_scenario_json` of the snapshot) and the response.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

import solver
from app.exports import CalendarVersion, calendar_csv, calendar_ical, calendar_json
from app.exports.drift import calendar_drift
from app.nation_calendar.view import nation_calendar


def timed(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solve-s", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    scenario = solver.generate(args.size, args.seed)
    calendar = solver.solve(scenario, solver.SolveParams(time_limit_s=args.solve_s, workers=1))
    version = CalendarVersion("bench", dt.datetime.now(dt.UTC), scenario, calendar)
    busiest = max(
        scenario.nations,
        key=lambda n: sum(
            any(u.startswith(f"{n.code}-") for u in s.units) for s in calendar.scheduled
        ),
    ).code
    print(
        f"{args.size} seed {args.seed}: {len(scenario.units)} units, "
        f"{len(scenario.exercises)} exercises, {len(calendar.scheduled)} scheduled; "
        f"nation feeds for {busiest}"
    )
    snapshot = scenario.model_dump_json(exclude_none=True)
    for name, work in (
        ("load snapshot (parse_scenario_json)", lambda: solver.parse_scenario_json(snapshot)),
        ("calendar_json", lambda: calendar_json(version)),
        ("calendar_csv", lambda: calendar_csv(version)),
        ("calendar_ical", lambda: calendar_ical(version)),
        ("calendar_ical per nation", lambda: calendar_ical(version, nation=busiest)),
        ("calendar_drift (incl. check_calendar)", lambda: calendar_drift(scenario, version)),
        (
            "nation_calendar (incl. data_conflicts, drift)",
            lambda: nation_calendar(busiest, current=scenario, version=version),
        ),
    ):
        seconds, out = timed(args.repeat, work)
        size = f", {len(out):,} bytes" if isinstance(out, bytes) else ""
        print(f"  {name:48s} {seconds * 1000:7.1f} ms{size}")


if __name__ == "__main__":
    main()
