"""The cost of authentication and the audit trail on availability PUTs (`make bench-auth`).

    .venv/bin/python bench/bench_auth.py [--rounds 7] [--clients 20] [--puts 400] [--no-postgres]

Two live uvicorn servers over the same programme (`solver.generate("M", 1)`, each in its own
fresh database): the service as it is, and the same app with `current_principal` overridden to
a fixed admin principal and the audit trail's `record` a no-op (`bench/auth_off_app.py`; the
product has no such switch). Both get the same clients, each sending a bearer token of its
server's database (ignored by the baseline), so the rate limit and the security headers cost the
same on both. Each round runs
the availability load of `bench_api` (GET, PUT with If-Match, again on 412; lost updates
checked) against both, in alternating order; the figure is the median throughput with auth and
audit over the median without (target >= 0.8), on SQLite and, when it answers, PostgreSQL;
next to it the server process's CPU time per PUT, and its ratio, which other work on a shared
machine disturbs less.
The audit events stored in each database afterwards show the trail was on in one run and off in
the other. Written to bench/RESULTS-auth.md with the machine's description.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from api_load import run_load, summary
from api_servers import (
    ROOT,
    SERVER_PIDS,
    admin_token,
    bearer,
    cpu_seconds,
    machine,
    postgres_base_url,
    postgres_database,
    postgres_version,
    sqlite_database,
    uvicorn_server,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS-auth.md"
WRITERS = 25
NATION_WRITERS = 5
# every write of the load comes from one token: the write rate limit is set out of its way
# (it still counts each write, on both servers)
ENV = {"PFP_LOG_LEVEL": "warning", "PFP_WRITE_RATE_LIMIT": "1000000/minute"}
VARIANTS = {
    "with auth + audit": "app.main:create_app",
    "without (baseline)": "bench.auth_off_app:create_app",
}


def scenario_document(seed: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from solver import generate

    return generate("M", seed).model_dump_json(exclude_none=True).encode()


def audit_events(database_url: str) -> int | None:
    """How many audit events the database holds (None when there is no audit trail)."""
    from sqlalchemy import func, select

    from app.db import create_db_engine
    from app.db.models import AuditEventRecord

    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(AuditEventRecord)).scalar()
    except Exception:  # noqa: BLE001 - no such table on this commit
        return None
    finally:
        engine.dispose()


@contextmanager
def server(target: str, database_url: str, document: bytes, token: str) -> Iterator[str]:
    """A live server of `target` with the programme loaded; yields its base URL."""
    with uvicorn_server(target, {**ENV, "PFP_DATABASE_URL": database_url}, factory=True) as base:
        loaded = httpx.put(
            base + "/api/v1/scenario",
            content=document,
            headers={"Content-Type": "application/json", **bearer(token)},
            timeout=120,
        )
        loaded.raise_for_status()
        yield base


def run_backend(name: str, databases: list[str], document: bytes, args: argparse.Namespace):
    doc = json.loads(document)
    resources = [f"/api/v1/units/{u['id']}/availability" for u in doc["units"][:WRITERS]]
    resources += [
        f"/api/v1/nations/{n['code']}/availability" for n in doc["nations"][:NATION_WRITERS]
    ]
    start = dt.date.fromisoformat(doc["horizon"]["start"])
    tokens = [admin_token(url) for url in databases]
    rounds: dict[str, list[dict[str, Any]]] = {variant: [] for variant in VARIANTS}
    with ExitStack() as stack:
        bases = {
            variant: stack.enter_context(server(target, url, document, token))
            for (variant, target), url, token in zip(
                VARIANTS.items(), databases, tokens, strict=True
            )
        }
        headers = dict(zip(VARIANTS, (bearer(t) for t in tokens), strict=True))
        for k in range(args.rounds + 1):  # round 0 warms both servers up and is not counted
            order = list(VARIANTS) if k % 2 == 0 else list(reversed(VARIANTS))
            for variant in order:
                pid = SERVER_PIDS[bases[variant]]
                cpu_before = cpu_seconds(pid)
                load = asyncio.run(
                    run_load(
                        bases[variant],
                        resources,
                        horizon_start=start,
                        clients=args.clients,
                        puts=args.puts if k else args.puts // 4,
                        seed=k,
                        headers=headers[variant],
                    )
                )
                figures = summary(load)
                cpu_ms = 1000 * (cpu_seconds(pid) - cpu_before)
                figures["server_cpu_ms_per_put"] = round(cpu_ms / figures["puts"], 2)
                for problem in load.problems[:5]:
                    print(f"  PROBLEM ({name}, {variant}): {problem}")
                if k:
                    rounds[variant].append(figures)
                    print(f"{name} round {k} {variant}: {figures}")
    events = dict(zip(VARIANTS, (audit_events(url) for url in databases), strict=True))
    return rounds, events


def row(name: str, rounds: dict[str, list[dict[str, Any]]], events: dict[str, int | None]):
    with_auth, without = (rounds[v] for v in VARIANTS)
    tput = {v: statistics.median(r["puts_per_s"] for r in rounds[v]) for v in VARIANTS}
    p50 = {v: statistics.median(r["p50_ms"] for r in rounds[v]) for v in VARIANTS}
    paired = [a["puts_per_s"] / b["puts_per_s"] for a, b in zip(with_auth, without, strict=True)]
    cpu = {v: statistics.median(r["server_cpu_ms_per_put"] for r in rounds[v]) for v in VARIANTS}
    with_v, without_v = VARIANTS
    return {
        "backend": name,
        "with_puts_per_s": round(tput[with_v], 1),
        "without_puts_per_s": round(tput[without_v], 1),
        "ratio": round(tput[with_v] / tput[without_v], 3),
        "paired_ratios": [round(x, 3) for x in paired],
        "paired_median": round(statistics.median(paired), 3),
        "with_cpu_ms": cpu[with_v],
        "without_cpu_ms": cpu[without_v],
        "cpu_ratio": round(cpu[without_v] / cpu[with_v], 3),
        "with_p50_ms": p50[with_v],
        "without_p50_ms": p50[without_v],
        "with_rounds": [r["puts_per_s"] for r in with_auth],
        "without_rounds": [r["puts_per_s"] for r in without],
        "audit_events": events,
        "problems": sum(r["problems"] for v in VARIANTS for r in rounds[v]),
    }


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| database | PUTs/s with auth + audit | PUTs/s without | ratio (target >= 0.8) "
        "| ratio per round (median) | server CPU per PUT with / without | CPU ratio "
        "| p50 with / without | audit events with / without |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        events = " / ".join(str(e) for e in r["audit_events"].values())
        lines.append(
            f"| {r['backend']} | {r['with_puts_per_s']} | {r['without_puts_per_s']} "
            f"| **{r['ratio']}** | {', '.join(str(x) for x in r['paired_ratios'])} "
            f"({r['paired_median']}) | {r['with_cpu_ms']} / {r['without_cpu_ms']} ms "
            f"| {r['cpu_ratio']} | {r['with_p50_ms']} / {r['without_p50_ms']} ms | {events} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--puts", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()
    document = scenario_document(args.seed)
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    rows, notes = [], []
    with sqlite_database() as a, sqlite_database() as b:
        rows.append(row("SQLite", *run_backend("SQLite", [a, b], document, args)))
        print(rows[-1])
    base_pg = None if args.no_postgres else postgres_base_url()
    if base_pg is not None:
        with postgres_database(base_pg) as a, postgres_database(base_pg) as b:
            notes.append(f"PostgreSQL {postgres_version(a)} on loopback")
            rows.append(row("PostgreSQL", *run_backend("PostgreSQL", [a, b], document, args)))
            print(rows[-1])
    load_after = os.getloadavg()
    lines = table(rows)
    print("\n".join(lines))
    text = [
        "# Cost of authentication and audit",
        "",
        f"`make bench-auth` ({' '.join(sys.argv[1:]) or 'defaults'}), "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, at `{commit}`.",
        "",
        "Availability PUTs with If-Match (GET, PUT, again on 412) from "
        f"{args.clients} concurrent httpx clients, {args.puts} PUTs per round over {WRITERS} "
        f"units and {NATION_WRITERS} nations of `solver.generate('M', {args.seed})`, against two "
        "live uvicorn servers (one worker each) started in the same run: the service as it is "
        "(bearer token looked up per request, an audit event written with every PUT in its "
        "transaction), and the same app with `current_principal` overridden to a fixed admin "
        "principal and the audit trail's `record` a no-op (`bench/auth_off_app.py`, bench "
        "only). Both receive a token header (each a token of its server's database), so the "
        f"write rate limit and the security headers run in both. {args.rounds} rounds after a warm-up round, the two servers in "
        "alternating order; throughput is the median over the rounds (PUTs per second of the "
        "whole run, each with its GET); the ratio is with / without. The ratios per round pair "
        "each round's two runs. No lost update in any run (checked as in `bench_api`).",
        "",
        *lines,
        "",
        "Server CPU per PUT is the uvicorn process's user + system CPU time over a round divided "
        "by its PUTs (each with its GET); its ratio (without / with) is the throughput the "
        "server's own CPU would allow with auth + audit relative to without. It is steadier "
        "than the wall-clock throughput on a shared machine, where the load generator and other "
        "work use the same cores; on PostgreSQL the database server's CPU is not in it.",
        "",
        "The audit events are those stored in each server's database after the run (the "
        "scenario import and every accepted PUT in the one with audit; none in the baseline).",
        "",
        "Machine:",
        *(f"- {k}: {v}" for k, v in machine().items()),
        *(f"- {n}" for n in notes),
        f"- load average (1 min) before / after the run: {load_before[0]:.1f} / "
        f"{load_after[0]:.1f} (other work was running on the machine)",
        "",
    ]
    RESULTS.write_text("\n".join(text))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 1 if any(r["problems"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
