"""Neighbourhood steps replayed apart: a low-noise measure of one step's CP-SAT search.

A 30-s run of M moves its nation participations by a few from one run to the next (the
machine's load, the order steps finish in), so a change to how a single step is searched is
lost in that noise. Instead: save every step model of a run's phase-2 neighbourhood search,
with its hint (`capture`), then solve each again on its own, one worker, under the CP-SAT
parameters to compare (`replay`), and add up what the steps gain over their hints.

    .venv/bin/python bench/bench_steps.py capture --size M --seed 1 --solver-seed 7 \\
        --out /tmp/steps-m1
    .venv/bin/python bench/bench_steps.py replay "/tmp/steps-m1/*.txt"
    .venv/bin/python bench/bench_steps.py replay "/tmp/steps-m1/*.txt" \\
        --param linearization_level=2 --param search_branching=PSEUDO_COST_SEARCH

`replay` prints the nation participations gained over the hints (the objective's gain in
units of one participation: months and wishes count as fractions), the models improved,
those proven optimal and the seconds spent. Session 10's table in bench/RESULTS.md: its
parameter rows are `replay --param` runs (its last two rows edited the saved models instead).
"""

from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from solver import lns  # noqa: E402  (the checkout's solver, as bench_solver.py runs it)


def capture(size: str, seed: int, solver_seed: int, time_limit: float, out: Path) -> None:
    """Solve one generated instance, saving each phase-2 step model (text proto, hinted)."""
    import solver

    out.mkdir(parents=True, exist_ok=True)
    build = lns._step_model
    saved = 0

    def saving(c, step, base, priority_only):
        nonlocal saved
        built = build(c, step, base, priority_only)
        if built is not None and not priority_only:
            built[0].model.export_to_file(str(out / f"step-{step.number:04d}.txt"))
            saved += 1
        return built

    lns._step_model = saving
    scenario = solver.generate(size, seed)
    params = solver.SolveParams(time_limit_s=time_limit, workers=2, seed=solver_seed)
    calendar = solver.solve(scenario, params)
    print(f"{size}/{seed} (solver seed {solver_seed}): {calendar.kpi.as_tuple()}")
    print(f"{saved} step models in {out}")


def _value(text: str):
    from ortools.sat.python import cp_model

    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return getattr(cp_model, text)  # an enum value, e.g. PSEUDO_COST_SEARCH


def replay(pattern: str, params: list[str], limit: float, seed: int) -> None:
    """Solve each saved step model on its own, one worker, under `params`."""
    from ortools.sat.python import cp_model

    files = sorted(glob.glob(pattern))
    if not files:
        raise SystemExit(f"no step models match {pattern}")
    gained = 0.0
    improved = proven = 0
    seconds = 0.0
    for name in files:
        model = cp_model.CpModel()
        model.proto.parse_text_format(Path(name).read_text())
        proto = model.proto
        objective = proto.objective
        hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
        terms = list(zip(objective.vars, objective.coeffs, strict=True))
        one = next(
            abs(k) for v, k in terms if proto.variables[v].name.startswith("takes_part")
        )  # the weight of one nation participation
        scale = objective.scaling_factor or 1.0  # -1: a maximisation stored as a minimisation
        at_hint = sum(k * hint.get(v, 0) for v, k in terms) * scale
        cp = cp_model.CpSolver()
        cp.parameters.num_workers = 1
        cp.parameters.random_seed = seed
        cp.parameters.cp_model_probing_level = 0  # as the steps run (`lns.improve`)
        cp.parameters.max_time_in_seconds = limit
        for setting in params:
            key, _, text = setting.partition("=")
            setattr(cp.parameters, key, _value(text))
        began = time.perf_counter()
        status = cp.solve(model)
        seconds += time.perf_counter() - began
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            gain = (cp.objective_value - at_hint) / one
            gained += gain
            improved += gain > 0.5
        proven += status == cp_model.OPTIMAL
    print(
        f"{' '.join(params) or 'as committed'}, {limit} s, seed {seed}: {len(files)} models, "
        f"participations gained {gained:.1f}, improved {improved}, proven {proven}, "
        f"{seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="solve one instance, saving its step models")
    cap.add_argument("--size", default="M")
    cap.add_argument("--seed", type=int, default=1)
    cap.add_argument("--solver-seed", type=int, default=1)
    cap.add_argument("--time-limit", type=float, default=30.0)
    cap.add_argument("--out", type=Path, required=True)
    rep = sub.add_parser("replay", help="solve saved step models again, one at a time")
    rep.add_argument("pattern", help='a glob of saved models, e.g. "/tmp/steps-m1/*.txt"')
    rep.add_argument("--param", action="append", default=[], help="a CP-SAT parameter, k=v")
    rep.add_argument(
        "--limit", type=float, default=lns.STEP_SECONDS, help="seconds per model (a step's)"
    )
    rep.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.size, args.seed, args.solver_seed, args.time_limit, args.out)
    else:
        replay(args.pattern, args.param, args.limit, args.seed)


if __name__ == "__main__":
    main()
