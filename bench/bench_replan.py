"""Re-planning benchmark: how few changes a re-plan makes after one nation's availability changes.

    .venv/bin/python bench/bench_replan.py --size M --seed 1 --solve-s 20

Generates the scenario and solves it (the base: say, the approved calendar). Then one nation is
blacked out over the days of an exercise it takes part in (the first scheduled exercise with two
units or more), and the changed scenario is solved twice: re-planned from the base, and afresh.
Prints, for each, the exercises that differ from the base (`solver.diff_calendars`), the figures
and the time. Every calendar goes through the independent checker.
"""

from __future__ import annotations

import argparse
import time

import solver


def _checked(
    scenario: solver.Scenario, params: solver.SolveParams
) -> tuple[solver.Calendar, float]:
    t0 = time.perf_counter()
    calendar = solver.solve(scenario, params)
    seconds = time.perf_counter() - t0
    result = solver.check_calendar(scenario, calendar)
    if not result.ok:
        raise SystemExit(f"invalid calendar: {result.violations[:3]}")
    return calendar, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solve-s", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    def params(**extra) -> solver.SolveParams:
        return solver.SolveParams(time_limit_s=args.solve_s, workers=args.workers, seed=0, **extra)

    scenario = solver.generate(args.size, args.seed)
    base, base_s = _checked(scenario, params())
    print(
        f"{args.size} seed {args.seed}: {len(scenario.exercises)} exercises; base "
        f"{len(base.scheduled)} scheduled, figures {base.kpi.as_tuple()}, {base.status}, "
        f"{base_s:.1f} s"
    )

    x = next(x for x in base.scheduled if len(x.units) >= 2)
    nation_of = {u.id: u.nation for u in scenario.units}
    code = nation_of[x.units[0]]
    touched = sorted(
        y.exercise
        for y in base.scheduled
        if y.start <= x.end and y.end >= x.start and any(nation_of[u] == code for u in y.units)
    )
    blackout = solver.Window(start=x.start, end=x.end)
    nations = [
        n.model_copy(update={"blackouts": [*n.blackouts, blackout]}) if n.code == code else n
        for n in scenario.nations
    ]
    changed = scenario.model_copy(update={"nations": nations})
    print(f"blackout of {code} {x.start}..{x.end}: touches {len(touched)} ({', '.join(touched)})")

    for label, extra in (("re-plan", {"base": base}), ("fresh", {})):
        calendar, seconds = _checked(changed, params(**extra))
        diff = solver.diff_calendars(base, calendar)
        print(
            f"  {label:8} {len(diff.changed):4} of {len(base.scheduled)} base exercises differ "
            f"(moved {len(diff.moved)}, units changed {len(diff.units_changed)}, dropped "
            f"{len(diff.dropped)}, added {len(diff.added)}); figures {calendar.kpi.as_tuple()}, "
            f"{calendar.status}, {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
