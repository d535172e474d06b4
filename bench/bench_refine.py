"""The refinement replayed from saved plans: a low-noise measure of the later figures' search.

A 30-s run of M/2 spends 10-25 s in phase 1, and whether it reaches the first figure's bound
at all is luck: a change to the refinement (`solver.lns.improve`, phase 2's neighbourhood
search) is lost in that noise. Instead: save plans whose first figure is at its bound
(`capture`: phase 1 of the whole model for a few seconds, then the fill and the repairs), then
refine each from the same start, 2 workers, the same solver seeds, with and without a change
(`run --baseline`: module settings that turn it off), one after the other in the same run.

    .venv/bin/python bench/bench_refine.py capture --size M --seed 2 --solver-seeds 5,7,10,12 \\
        --out /tmp/plans-m2
    .venv/bin/python bench/bench_refine.py run /tmp/plans-m2 --seconds 10 --seeds 1,2,3 \\
        --baseline solver.lns.YEAR_AFTER_IDLE=0

`run` prints, per plan and solver seed, the nation participations the refinement ends with,
with the settings as they are and under `--baseline` (settings that turn a change off: above,
no wait for idle neighbourhoods before a step across the year), then the medians, the pairs
better and worse, and the mean difference. Session 18's table in bench/RESULTS.md is such a
run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from ortools.sat.python import cp_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import solver  # noqa: E402  (the checkout's solver, as bench_solver.py runs it)
from solver.greedy import Placement, Plan, greedy_plan  # noqa: E402
from solver.lns import improve  # noqa: E402
from solver.model.bound import sharp_priority_bound  # noqa: E402
from solver.model.build import build_model  # noqa: E402
from solver.model.candidates import Candidates, prepare  # noqa: E402
from solver.reasons import data_conflict_reasons  # noqa: E402
from solver.repair import fill, repair  # noqa: E402
from solver.search import LNS_DETERMINISTIC, add_hints, plan_kpi, read_plan  # noqa: E402


def _candidates(size: str, seed: int) -> tuple[Candidates, list[str]]:
    c = prepare(solver.generate(size, seed))
    return c, sorted(data_conflict_reasons(c))


def capture(size: str, seed: int, solver_seeds: list[int], seconds: float, out: Path) -> None:
    """For each solver seed: phase 1 (the first figure alone, the whole model hinted with the
    greedy calendar) for `seconds`, then the fill and the repairs for as long, as a stalled
    solve does (`solver.repair`); the plan is saved when its first figure reaches the
    relaxation's bound."""
    out.mkdir(parents=True, exist_ok=True)
    c, conflicts = _candidates(size, seed)
    relaxed = sharp_priority_bound(c, 30.0, 0, None, set(conflicts))
    bound = relaxed.value if relaxed.value is not None else 0
    for rs in solver_seeds:
        cm = build_model(c)
        add_hints(cm, greedy_plan(c))
        cm.model.add(cm.figures.priority <= bound)
        cm.model.maximize(cm.figures.priority)
        cp = cp_model.CpSolver()
        cp.parameters.num_workers = 2
        cp.parameters.random_seed = rs
        cp.parameters.max_time_in_seconds = seconds
        cp.parameters.lns_initial_deterministic_limit = LNS_DETERMINISTIC  # as phase 1
        cp.parameters.cp_model_probing_level = 0
        code = cp.solve(cm.model)
        plan = read_plan(cm, cp.value) if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else {}
        params = SimpleNamespace(workers=2, seed=rs, should_stop=None)
        start = time.perf_counter()
        until = start + seconds
        filled = fill(c, plan, relaxed.chosen, params, start, until, bound, None)
        plan = filled if filled is not None else plan
        plan, _ = repair(c, plan, relaxed.chosen, params, start, until, bound, None)
        kpi = plan_kpi(c, plan)
        name = f"{size}-{seed}-rs{rs}"
        if kpi.priority_scheduled >= bound:
            placements = {e: [p.start, p.site, list(p.units)] for e, p in plan.items()}
            (out / f"{name}.json").write_text(
                json.dumps({"size": size, "seed": seed, "bound": bound, "plan": placements})
            )
        print(
            f"{name}: {kpi.as_tuple()} (bound {bound}){' saved' if kpi.priority_scheduled >= bound else ''}"
        )


def _settings(pairs: list[str]) -> dict[tuple[object, str], object]:
    """`module.NAME=value` settings as (module, name) -> value."""
    out: dict[tuple[object, str], object] = {}
    for pair in pairs:
        key, _, text = pair.partition("=")
        module, _, name = key.rpartition(".")
        out[(importlib.import_module(module), name)] = json.loads(text)
    return out


def _refined(
    c: Candidates, conflicts: list[str], plan: Plan, bound: int, rs: int, seconds: float, settings
) -> int:
    before = {key: getattr(key[0], key[1]) for key in settings}
    for (module, name), value in settings.items():
        setattr(module, name, value)
    try:
        params = solver.SolveParams(time_limit_s=seconds, workers=2, seed=rs)
        t0 = time.perf_counter()
        searched = improve(
            c, plan, params, t0, None, bound, priority_first=False, hopeless=conflicts
        )
    finally:
        for (module, name), value in before.items():
            setattr(module, name, value)
    return plan_kpi(c, searched.plan).nation_participations


def run(folder: Path, seconds: float, seeds: list[int], baseline: list[str]) -> None:
    """Refine every saved plan with each solver seed, under `baseline` then as it is."""
    off = _settings(baseline)
    diffs: list[int] = []
    with_change: list[int] = []
    without: list[int] = []
    cache: dict[tuple[str, int], tuple[Candidates, list[str]]] = {}
    for path in sorted(folder.glob("*.json")):
        saved = json.loads(path.read_text())
        key = (saved["size"], saved["seed"])
        if key not in cache:
            cache[key] = _candidates(*key)
        c, conflicts = cache[key]
        plan = {
            e: Placement(s, site, tuple(units)) for e, (s, site, units) in saved["plan"].items()
        }
        start = plan_kpi(c, plan).nation_participations
        for rs in seeds:
            a = _refined(c, conflicts, plan, saved["bound"], rs, seconds, off)
            b = _refined(c, conflicts, plan, saved["bound"], rs, seconds, {})
            without.append(a)
            with_change.append(b)
            diffs.append(b - a)
            print(f"{path.stem} (from {start}) seed {rs}: baseline {a}, as it is {b}")
    if diffs:
        better = sum(d > 0 for d in diffs)
        worse = sum(d < 0 for d in diffs)
        print(
            f"{len(diffs)} pairs: median {statistics.median(with_change)} against "
            f"{statistics.median(without)}, mean {statistics.mean(with_change):.1f} against "
            f"{statistics.mean(without):.1f} ({better} better, {worse} worse)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("--size", default="M")
    cap.add_argument("--seed", type=int, default=2)
    cap.add_argument("--solver-seeds", default="5,7,10,12")
    cap.add_argument("--seconds", type=float, default=10.0)
    cap.add_argument("--out", type=Path, required=True)
    rep = sub.add_parser("run")
    rep.add_argument("folder", type=Path)
    rep.add_argument("--seconds", type=float, default=10.0)
    rep.add_argument("--seeds", default="1,2,3")
    rep.add_argument("--baseline", action="append", default=[])
    args = parser.parse_args()
    if args.command == "capture":
        seeds = [int(s) for s in args.solver_seeds.split(",")]
        capture(args.size, args.seed, seeds, args.seconds, args.out)
    else:
        run(args.folder, args.seconds, [int(s) for s in args.seeds.split(",")], args.baseline)


if __name__ == "__main__":
    main()
