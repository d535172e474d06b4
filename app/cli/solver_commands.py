"""Commands around the solver: solve, check, generate.

Bad input (a missing file, text that is not JSON, a scenario or calendar that breaks the
contract) prints what is wrong, naming the field by its JSON pointer, and exits with code 2;
never a traceback. `check` exits 1 when the calendar breaks a rule.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

import solver
from solver import Calendar, Scenario, ScenarioInvalid, ScenarioProblem, parse_scenario

BAD_INPUT = 2
RULE_BROKEN = 1


class Size(StrEnum):
    S = "S"
    M = "M"
    L = "L"
    XL = "XL"


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(what: str, problems: list[ScenarioProblem] | None = None) -> NoReturn:
    console = _err()
    console.print(f"[bold red]error:[/] {what}", markup=True)
    for p in (problems or [])[:50]:
        console.print(Text(f"  {p.pointer or '/'}: {p.reason}"))
    if problems and len(problems) > 50:
        console.print(Text(f"  ... and {len(problems) - 50} more"))
    raise typer.Exit(BAD_INPUT)


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"{what} file {str(path)!r} does not exist")
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"cannot read {what} file {str(path)!r}: {error}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        _fail(
            f"{what} file {str(path)!r} is not JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        )


def load_scenario(path: Path) -> Scenario:
    """The scenario in `path`, or exit 2 naming every problem by its JSON pointer."""
    data = _read_json(path, "scenario")
    try:
        return parse_scenario(data)
    except ScenarioInvalid as error:
        _fail(f"{str(path)!r} is not a valid pfp-scenario/1 document:", error.problems)


def load_calendar(path: Path) -> Calendar:
    """The calendar in `path`, or exit 2 naming every problem by its JSON pointer."""
    data = _read_json(path, "calendar")
    try:
        return Calendar.model_validate(data)
    except ValidationError as error:
        problems = solver.problems_from_validation_error(error)
        _fail(f"{str(path)!r} is not a valid pfp-calendar/1 document:", problems)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {str(output)!r}: {error}")


# --- solve -----------------------------------------------------------------------------


class _ProgressLine:
    """The latest progress of a solve, rendered as one line: elapsed, figures, bound, gap."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.latest: solver.Progress | None = None
        self.lock = threading.Lock()

    def update(self, progress: solver.Progress) -> None:
        with self.lock:
            self.latest = progress

    def __rich__(self) -> Text:
        with self.lock:
            p = self.latest
        elapsed = time.monotonic() - self.started
        if p is None:
            return Text(f"{elapsed:7.1f} s  preparing ...")
        return Text(describe_progress(p))


def describe_progress(progress: solver.Progress) -> str:
    """One line for a solver progress report: elapsed, figures, bound and gap when known."""
    kpi = progress.kpi
    parts = [
        f"{progress.elapsed_s:7.1f} s",
        "figures " + "/".join(str(f) for f in kpi.as_tuple()),
        f"({progress.source})",
    ]
    if progress.bound is not None:
        gap = (progress.bound - kpi.priority_scheduled) / max(1, abs(progress.bound))
        parts.append(f"bound {progress.bound}  gap {gap:.1%}")
    return "  ".join(parts)


def solve_command(
    scenario_file: Annotated[Path, typer.Argument(help="a pfp-scenario/1 JSON file")],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="seconds")] = 30.0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="CP-SAT random seed")] = 0,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="calendar file (stdout if absent)")
    ] = None,
) -> None:
    """Propose a calendar for SCENARIO_FILE; progress goes to stderr, the calendar to -o."""
    scenario = load_scenario(scenario_file)
    console = _err()
    line = _ProgressLine()
    stop = threading.Event()

    def report(progress: solver.Progress) -> None:
        line.update(progress)
        if not console.is_terminal:  # a log, not a screen: one line per better calendar
            console.print(Text(describe_progress(progress)))

    params = solver.SolveParams(
        time_limit_s=time_limit,
        workers=workers,
        seed=seed,
        progress=report,
        should_stop=stop.is_set,
    )
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C: stop, keep the best so far
    try:
        if console.is_terminal:
            with Live(line, console=console, refresh_per_second=4, transient=False):
                calendar = solver.solve(scenario, params)
        else:
            calendar = solver.solve(scenario, params)
    finally:
        signal.signal(signal.SIGINT, previous)
    _write(calendar.model_dump_json(indent=2), output)
    figures = "/".join(str(f) for f in calendar.kpi.as_tuple())
    bound = calendar.bound.priority_scheduled if calendar.bound else "unknown"
    nations = calendar.stats.nations_bound if calendar.stats else None
    nations_text = "" if nations is None else f"nation participations at most {nations}, "
    console.print(
        Text(
            f"{calendar.status}: {len(calendar.scheduled)} of {len(scenario.exercises)} "
            f"exercises scheduled, figures {figures}, bound {bound}, {nations_text}"
            f"travel {solver.travel_km(scenario, calendar):,.0f} km, "
            f"at most {solver.exercise_spread(calendar)[0]} exercises on one day"
        )
    )


# --- check -----------------------------------------------------------------------------


def check_command(
    scenario_file: Annotated[Path, typer.Argument(help="a pfp-scenario/1 JSON file")],
    calendar_file: Annotated[Path, typer.Argument(help="a pfp-calendar/1 JSON file")],
) -> None:
    """Re-check CALENDAR_FILE against SCENARIO_FILE: exit 1 if it breaks a rule, else 0."""
    scenario = load_scenario(scenario_file)
    calendar = load_calendar(calendar_file)
    result = solver.check_calendar(scenario, calendar)
    console = Console(highlight=False)
    if result.violations:
        table = Table(title=f"{len(result.violations)} broken rule(s)")
        for column in ("rule", "code", "exercise", "what is wrong"):
            table.add_column(column, overflow="fold")
        for v in result.violations:
            rule = str(v.rule) if v.rule else "figures"
            table.add_row(rule, v.code, getattr(v, "exercise", None) or "", v.message)
        console.print(table)
        raise typer.Exit(RULE_BROKEN)
    table = Table(title="The calendar keeps rules 1-9; recomputed figures")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in result.kpi.model_dump().items():
        table.add_row(name, str(value))
    table.add_row("scheduled", f"{len(calendar.scheduled)} of {len(scenario.exercises)}")
    table.add_row("travel_km", f"{solver.travel_km(scenario, calendar):,.1f}")
    table.add_row("peak_exercises", str(solver.exercise_spread(calendar)[0]))
    console.print(table)


# --- generate --------------------------------------------------------------------------


def generate_command(
    size: Annotated[Size, typer.Option("--size", help="S, M, L or XL")] = Size.S,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="scenario file (stdout if absent)")
    ] = None,
) -> None:
    """Write a synthetic scenario of the given size; the same seed gives the same one."""
    scenario = solver.generate(size.value, seed)
    _write(scenario.model_dump_json(indent=1, exclude_none=True), output)


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the `pfp-scheduler` app."""
    cli.command("solve")(solve_command)
    cli.command("check")(check_command)
    cli.command("generate")(generate_command)
