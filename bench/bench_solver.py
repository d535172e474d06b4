"""Solver benchmark: generated scenarios S, M, L, XL, each solved in its own process.

    make bench-solver BENCH_ARGS="--sizes S,M --seeds 1,2 --limits S=10,M=60"
    .venv/bin/python bench/bench_solver.py --sizes L --long   # 10-minute "best known" run
    .venv/bin/python bench/bench_solver.py --sizes L --repeat 3   # medians of 3 runs per seed

For each run it prints: time to build the model, time to the first valid calendar, the
figures over time (at 10, 30, 120, 300 s, from the progress callback), the final figures, bound
and gap, the bound on nation participations and the gap to it (`SolveStats.nations_bound`),
wall time, peak memory (the run's own process, ru_maxrss), next to the greedy calendar's
figures, and the independent checker's verdict. At the end, a markdown table to
paste into bench/RESULTS.md. Runs go one after another, never two at once.

With `--repeat N`, each instance is solved N times (run r with the solver seed
`seed + 1000 r`; run 0 uses the instance's seed, as without `--repeat`): two runs of one
configuration differ by up to 2.5% on these shared machines, so a target is judged on the
median. A last table gives, per instance, every run's first figure, their median and how far
the median is below the best known (`bench/best_known.json`, the best any recorded run
reached; a run above it is a new best known), and the same for the nation participations
where their best known is recorded (M's target is the best known figures).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIMITS = {"S": 10.0, "M": 60.0, "L": 120.0, "XL": 300.0}
LONG_LIMIT = 600.0
CHECKPOINTS = (10.0, 30.0, 120.0, 300.0)
MARK = "BENCH-RESULT "
# the best figures any recorded run reached, per size and seed (first figure, then the later
# ones where known): bench/best_known.json, the one copy
BEST_KNOWN_FILE = ROOT / "bench" / "best_known.json"


def best_known() -> dict[tuple[str, int], list[int]]:
    table = json.loads(BEST_KNOWN_FILE.read_text())["best_known"]
    out = {}
    for name, figures in table.items():
        size, _, seed = name.partition("/")
        out[size, int(seed)] = figures
    return out


def _figures(kpi: Any) -> str:
    if kpi is None:
        return "-"
    return "/".join(str(x) for x in kpi)


def run_one(
    size: str, seed: int, time_limit: float, workers: int, solver_seed: int | None = None
) -> dict[str, Any]:
    """Generate, solve and check one instance in this process (the solver's seed is the
    instance's unless given); the figures as a dict."""
    sys.path.insert(0, str(ROOT))
    import solver

    solver_seed = seed if solver_seed is None else solver_seed
    began = time.monotonic()
    scenario = solver.generate(size, seed)  # type: ignore[arg-type]
    generated_s = time.monotonic() - began
    trace: list[tuple[float, tuple[int, int, int] | None, int | None]] = []

    def progress(p: solver.Progress) -> None:
        trace.append((p.elapsed_s, p.kpi.as_tuple(), p.bound))

    params = solver.SolveParams(
        time_limit_s=time_limit,
        workers=workers,
        seed=solver_seed,
        progress=progress,
    )
    solve_began = time.monotonic()
    calendar = solver.solve(scenario, params)
    wall_s = time.monotonic() - solve_began
    result = solver.check_calendar(scenario, calendar)
    stats = getattr(calendar, "stats", None)
    greedy = getattr(stats, "greedy_kpi", None)

    at: dict[str, Any] = {}
    # a run of the checkpoint's length ends a moment before it (the search ends up to 1 s
    # early to leave the spread and travel passes their time, `solver.solve`)
    used_limit = wall_s >= 0.98 * time_limit
    for t in CHECKPOINTS:
        if t <= wall_s + 0.5 or (used_limit and t <= time_limit):
            seen = [k for e, k, _ in trace if e <= t and k is not None]
            at[f"{t:g}"] = list(seen[-1]) if seen else None
    bound = calendar.bound.priority_scheduled if calendar.bound else None
    best = calendar.kpi.priority_scheduled
    return {
        "size": size,
        "seed": seed,
        "solver_seed": solver_seed,
        "time_limit_s": time_limit,
        "workers": workers,
        "exercises": len(scenario.exercises),
        "units": len(scenario.units),
        "generate_s": round(generated_s, 2),
        "build_s": getattr(stats, "build_s", None),
        "first_solution_s": getattr(stats, "first_solution_s", None),
        "at": at,
        "kpi": list(calendar.kpi.as_tuple()),
        "bound": bound,
        "gap": None if bound is None else (bound - best) / max(1, bound),
        "nations_bound": getattr(stats, "nations_bound", None),
        "status": calendar.status,
        "wishes": None
        if getattr(stats, "desired_exercises", None) is None
        else f"{stats.desired_exercises_met}/{stats.desired_exercises}",
        "scheduled": len(calendar.scheduled),
        "travel_km": getattr(stats, "travel_km", None),
        "peak_exercises": getattr(stats, "peak_exercises", None),
        "wall_s": round(wall_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "greedy_kpi": None if greedy is None else list(greedy.as_tuple()),
        "check": "ok" if result.ok else f"{len(result.violations)} violations",
        "violations": [f"rule {v.rule} {v.code}: {v.message}" for v in result.violations[:5]],
        "phases": list(getattr(stats, "phases", None) or []),
    }


def _child(args: argparse.Namespace) -> None:
    row = run_one(args.size, args.seed, args.time_limit, args.workers, args.solver_seed)
    print(MARK + json.dumps(row), flush=True)


def _spawn(size: str, seed: int, limit: float, workers: int, solver_seed: int) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", "--size", size, "--seed", str(seed),
        "--time-limit", str(limit), "--workers", str(workers),
        "--solver-seed", str(solver_seed),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
    return {
        "size": size,
        "seed": seed,
        "solver_seed": solver_seed,
        "error": f"exit {done.returncode}: " + " | ".join(tail),
    }


def _seed(row: dict[str, Any]) -> str:
    """The instance's seed, and the solver's where it differs."""
    solver_seed = row.get("solver_seed", row["seed"])
    return (
        str(row["seed"]) if solver_seed == row["seed"] else f"{row['seed']} (solver {solver_seed})"
    )


def _cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _describe(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['size']} seed {_seed(row)}: FAILED {row['error']}"
    at = ", ".join(f"{t} s: {_figures(k)}" for t, k in row["at"].items()) or "-"
    gap = "-" if row["gap"] is None else f"{row['gap']:.1%}"
    nations = _nations_bound(row)
    lines = [
        f"{row['size']} seed {_seed(row)} ({row['exercises']} exercises, {row['units']} units, "
        f"limit {row['time_limit_s']:g} s, {row['workers']} workers)",
        f"  build {_cell(row['build_s'], 2)} s, first calendar {_cell(row['first_solution_s'], 2)}"
        f" s, figures over time: {at}",
        f"  final {row['status']} {_figures(row['kpi'])} ({row['scheduled']}/{row['exercises']} "
        f"scheduled), wishes met {_cell(row.get('wishes'))}, bound {_cell(row['bound'])}, gap {gap}, nations bound {nations}, greedy {_figures(row['greedy_kpi'])}",
        f"  travel {_km(row.get('travel_km'))} km, at most {_cell(row.get('peak_exercises'))} exercises on one day, wall {row['wall_s']:.1f} s, peak {row['peak_mb']:.0f} MB, checker: {row['check']}",
    ]
    stalled = [p for p in row.get("phases", []) if p.startswith("phase 1 stalled")]
    lines += [f"  {p}" for p in stalled]  # how a stalled first figure was brought on
    lines += [f"    {v}" for v in row.get("violations", [])]
    return "\n".join(lines)


def _nations_bound(row: dict[str, Any]) -> str:
    """The bound on nation participations, and the calendar's figure's gap to it."""
    bound = row.get("nations_bound")
    if bound is None:
        return "-"
    return f"{bound} (gap {(bound - row['kpi'][1]) / max(1, bound):.1%})"


def _km(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| size | seed | limit s | build s | first s | @10 s | @30 s | @120 s | @300 s | final figures "
        "| wishes | scheduled | travel km | most at once | bound | gap | nations bound | status | greedy | wall s | peak MB "
        "| check |"
    )
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['size']} | {_seed(r)} | failed: {r['error']} |" + " |" * 20)
            continue
        gap = "-" if r["gap"] is None else f"{r['gap']:.1%}"
        at = [_figures(r["at"].get(f"{t:g}")) if f"{t:g}" in r["at"] else "" for t in CHECKPOINTS]
        cells = [
            r["size"], _seed(r), f"{r['time_limit_s']:g}", _cell(r["build_s"], 2),
            _cell(r["first_solution_s"], 2), *at, _figures(r["kpi"]), _cell(r.get("wishes")),
            f"{r['scheduled']}/{r['exercises']}", _km(r.get("travel_km")), _cell(r.get("peak_exercises")), _cell(r["bound"]), gap, _nations_bound(r), r["status"],
            _figures(r["greedy_kpi"]), f"{r['wall_s']:.1f}", f"{r['peak_mb']:.0f}", r["check"],
        ]  # fmt: skip
        out.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(out)


def _below(best: int | None, median: float) -> str:
    return "-" if best is None else f"{(best - median) / best:.2%}"


def medians(rows: list[dict[str, Any]]) -> str:
    """Per instance: every run's first figure, their median and the median's distance below
    the best known (`bench/best_known.json`); the same for the nation participations where
    their best known is recorded."""
    runs: dict[tuple[str, int], list[list[int]]] = {}
    for r in rows:
        if "error" not in r:
            runs.setdefault((r["size"], r["seed"]), []).append(r["kpi"])
    known = best_known()
    head = (
        "| size | seed | runs | priority_scheduled | median | best known | median below best known "
        "| nation_participations | median | best known | median below best known |"
    )
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for (size, seed), kpis in runs.items():
        best = known.get((size, seed), [])
        cells: list[Any] = [size, seed, len(kpis)]
        for figure in (0, 1):
            values = [k[figure] for k in kpis]
            median = statistics.median(values)
            best_one = best[figure] if len(best) > figure else None
            cells += [
                ", ".join(map(str, values)),
                f"{median:g}",
                "-" if best_one is None else best_one,
                _below(best_one, median),
            ]
        out.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(out)


def _limits(text: str) -> dict[str, float]:
    limits = dict(DEFAULT_LIMITS)
    for part in filter(None, text.split(",")):
        size, _, seconds = part.partition("=")
        limits[size.strip().upper()] = float(seconds)
    return limits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L,XL", help="comma-separated: S,M,L,XL")
    parser.add_argument("--seeds", default="1,2", help="comma-separated generator seeds")
    parser.add_argument("--limits", default="", help="time limits, e.g. S=10,M=60,L=120,XL=300")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--long", action="store_true", help=f"{LONG_LIMIT:g} s best-known runs")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per instance (solver seeds seed + 1000 r)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--solver-seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return 0
    limits = _limits(args.limits)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in DEFAULT_LIMITS]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from S, M, L, XL")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    rows = []
    for size in sizes:
        limit = LONG_LIMIT if args.long else limits[size]
        for seed in seeds:
            for r in range(args.repeat):
                solver_seed = seed + 1000 * r
                print(
                    f"running {size} seed {seed} (solver seed {solver_seed}), limit {limit:g} s ...",
                    file=sys.stderr,
                    flush=True,
                )
                row = _spawn(size, seed, limit, args.workers, solver_seed)
                print(_describe(row), flush=True)
                rows.append(row)
    print()
    print(markdown(rows))
    print()
    print(medians(rows))
    return 1 if any("error" in r or r.get("check") != "ok" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
