"""The schemathesis fuzz of tests/app/test_fuzz.py with more examples: how many requests it sent,
per token kind, how many server errors (target: 0) and other failures, and how long it took.

The same code as the test (a live uvicorn in this process on a free loopback port, the demo
programme and two solved calendars, every operation of /openapi.json: all the cases of the
coverage phase, then `--examples` positive and negative generated cases, derandomized), on a fresh
SQLite database and, with --postgres, a fresh PostgreSQL one.
Run by `make bench-fuzz`; `--write` puts the table in bench/RESULTS-fuzz.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from api_servers import machine, postgres_base_url, postgres_database, sqlite_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.app.test_fuzz import (  # noqa: E402 - the repository root is on the path only now
    FuzzReport,
    fuzz,
    fuzz_settings,
    live_app,
    prepare,
)

RESULTS = ROOT / "bench" / "RESULTS-fuzz.md"


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with sqlite_database() as url:
            yield url
        return
    base = postgres_base_url()
    if base is None:
        raise SystemExit("PostgreSQL is not reachable")
    with postgres_database(base) as url:
        yield url


def run(
    backend: str, kinds: list[str], examples: int, coverage: int | None
) -> dict[str, FuzzReport]:
    """One server per backend (migrated at startup), the kinds one after the other."""
    reports = {}
    with database(backend) as url, live_app(fuzz_settings(url)) as (app, base):
        tokens, known = prepare(app, base)
        for kind in kinds:
            report = fuzz(app, base, tokens[kind], known, examples=examples, coverage=coverage)
            reports[kind] = report
            print(
                f"{backend} {kind}: {report.total} requests, {report.server_errors} server "
                f"errors, {len(report.failures)} failures, {report.seconds:.1f} s",
                flush=True,
            )
            for failure in report.failures[:10]:
                print("  " + failure.replace("\n", "\n  "))
    return reports


def table(results: dict[tuple[str, str], FuzzReport]) -> list[str]:
    lines = [
        "| database | token | operations | requests | server errors (5xx) | other failures "
        "| statuses | time |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (backend, kind), report in results.items():
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses.items()))
        lines.append(
            f"| {backend} | {kind} | {len(report.requests)} | {report.total} "
            f"| **{report.server_errors}** | {len(report.failures)} | {statuses} "
            f"| {report.seconds:.0f} s |"
        )
    return lines


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "log", "-1", "--format=%h %s"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write(results: dict[tuple[str, str], FuzzReport], argv: list[str], loads: str) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    total = sum(r.total for r in results.values())
    errors = sum(r.server_errors for r in results.values())
    lines = [
        "# The API fuzzed",
        "",
        f"`make bench-fuzz` ({' '.join(argv) or 'defaults'}), {now}, at `{commit()}`.",
        "",
        "schemathesis (the code of `tests/app/test_fuzz.py`) against the app's own "
        "`/openapi.json`, on a live uvicorn in the same process with the 1995 demo programme and "
        "two solved calendars (one approved): every operation gets the cases of schemathesis' "
        "coverage phase (boundary values, each required field missing, wrong types, methods it "
        "does not allow; `--coverage`: how many, spread over them), then the given number of "
        "positive and of negative generated examples (negative only where there is a body or a "
        "query to break), "
        "derandomized, some with real ids in the path and, for the availability PUTs, "
        "`If-Match: *`; after each operation that may write, the demo data is loaded again. "
        "Checks on every answer: not a 5xx, and status, content type, headers and body as "
        "documented. Solves are capped at 1 s; the write rate limit is off.",
        "",
        f"**{total} requests, {errors} server errors.**",
        "",
        *table(results),
        "",
        "Machine:",
        *(f"- {k}: {v}" for k, v in machine().items()),
        f"- load average (1 min) before / after the run: {loads}",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="per operation and mode")
    parser.add_argument(
        "--coverage",
        default="all",
        help="coverage-phase cases per operation, spread over them (`all`: every one)",
    )
    parser.add_argument("--kinds", default="admin,liaison", help="token kinds, in order")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    coverage = None if args.coverage == "all" else int(args.coverage)
    before = os.getloadavg()[0]
    results: dict[tuple[str, str], FuzzReport] = {}
    started = time.perf_counter()
    for backend in ["sqlite"] + (["postgresql"] if args.postgres else []):
        for kind, report in run(backend, kinds, args.examples, coverage).items():
            results[(backend, kind)] = report
    print("\n".join(table(results)))
    total = sum(r.total for r in results.values())
    errors = sum(r.server_errors for r in results.values())
    failures = sum(len(r.failures) for r in results.values())
    print(
        f"fuzz: {total} requests, {errors} server errors, {failures} failures "
        f"in {time.perf_counter() - started:.0f} s"
    )
    if args.write:
        write(results, sys.argv[1:], f"{before:.1f} / {os.getloadavg()[0]:.1f}")
    if errors or failures:
        raise SystemExit(1)


if __name__ == "__main__":  # the solve workers are spawned: they import this module
    main()
