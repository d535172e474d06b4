"""API benchmark against live uvicorn servers on loopback (run by `make bench-api`).

    .venv/bin/python bench/bench_api.py [--imports 5] [--conflicts 10] [--clients 50] [--puts 2000]

For SQLite (a fresh temp file) and PostgreSQL (a fresh database beside PFP_BENCH_POSTGRES_URL,
or beside the local server at postgresql+psycopg://postgres@127.0.0.1:5432/test when it
answers), it starts the service with uvicorn and measures:
- import of a 300-unit, 60-exercise scenario (`solver.generate("M", seed)`) by PUT
  /api/v1/scenario: the median of several runs;
- GET /api/v1/conflicts on it: the median;
- 50 concurrent httpx clients sending 2,000 availability PUTs with If-Match (GET, PUT,
  again on 412): lost updates (must be 0), 412s, p50/p99 latency and throughput;
then the same GET + PUT load against a bare FastAPI endpoint served the same way.
Every loop is bounded and every server stops with the run. The figures are printed and
written to bench/RESULTS-api.md with the machine's description.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from api_load import run_load, summary
from api_servers import (
    ROOT,
    admin_token,
    bearer,
    machine,
    postgres_base_url,
    postgres_database,
    postgres_version,
    sqlite_database,
    uvicorn_server,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS-api.md"
# one token sends every write of the load: the write rate limit is set out of its way
UNLIMITED_WRITES = {"PFP_WRITE_RATE_LIMIT": "1000000/minute"}
WRITERS = 25  # units whose availability the writers share, plus the nations below
NATION_WRITERS = 5


def scenario_document(seed: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from solver import generate

    return generate("M", seed).model_dump_json(exclude_none=True).encode()


def _median_ms(values: list[float]) -> float:
    return round(1000 * statistics.median(values), 1)


def run_service(name: str, database_url: str, document: bytes, args: argparse.Namespace) -> dict:
    doc = json.loads(document)
    headers = bearer(admin_token(database_url))
    env = {"PFP_DATABASE_URL": database_url, "PFP_LOG_LEVEL": "warning", **UNLIMITED_WRITES}
    with uvicorn_server("app.main:create_app", env, factory=True) as base:
        with httpx.Client(base_url=base, timeout=300, headers=headers) as c:
            imports = []
            for _ in range(args.imports):
                begin = time.perf_counter()
                response = c.put(
                    "/api/v1/scenario",
                    content=document,
                    headers={"Content-Type": "application/json"},
                )
                imports.append(time.perf_counter() - begin)
                response.raise_for_status()
            conflicts, found = [], 0
            for _ in range(args.conflicts):
                begin = time.perf_counter()
                response = c.get("/api/v1/conflicts")
                conflicts.append(time.perf_counter() - begin)
                response.raise_for_status()
                found = len(response.json()["items"])
        resources = [f"/api/v1/units/{u['id']}/availability" for u in doc["units"][:WRITERS]]
        resources += [
            f"/api/v1/nations/{n['code']}/availability" for n in doc["nations"][:NATION_WRITERS]
        ]
        load = asyncio.run(
            run_load(
                base,
                resources,
                horizon_start=dt.date.fromisoformat(doc["horizon"]["start"]),
                clients=args.clients,
                puts=args.puts,
                headers=headers,
            )
        )
    for problem in load.problems[:10]:
        print(f"  PROBLEM ({name}): {problem}")
    return {
        "backend": name,
        "import_ms": _median_ms(imports),
        "import_runs": [round(1000 * x) for x in imports],
        "conflicts_ms": _median_ms(conflicts),
        "conflicts_found": found,
        "resources": len(resources),
        **summary(load),
    }


def run_bare(args: argparse.Namespace) -> dict:
    with uvicorn_server("bench.bare_app:app", {}, factory=False) as base:
        load = asyncio.run(
            run_load(
                base,
                [f"/bare/{k}" for k in range(WRITERS + NATION_WRITERS)],
                horizon_start=dt.date(1995, 1, 1),
                clients=args.clients,
                puts=args.puts,
                verify=False,
            )
        )
    return {"backend": "bare FastAPI", **summary(load)}


def _table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| server | import (median) | conflicts (median) | PUTs | accepted | 412 | lost "
        "| p50 | p99 | PUTs/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        imp = f"{r['import_ms']} ms" if "import_ms" in r else "-"
        con = f"{r['conflicts_ms']} ms ({r['conflicts_found']})" if "conflicts_ms" in r else "-"
        lost = r["lost_updates"] if "import_ms" in r else "-"
        lines.append(
            f"| {r['backend']} | {imp} | {con} | {r['puts']} | {r['accepted']} | "
            f"{r['stale_412'] if 'import_ms' in r else '-'} | {lost} | {r['p50_ms']} ms | "
            f"{r['p99_ms']} ms | {r['puts_per_s']} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--conflicts", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--puts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()
    document = scenario_document(args.seed)
    doc = json.loads(document)
    print(
        f"scenario: generate('M', {args.seed}): {len(doc['units'])} units, "
        f"{len(doc['exercises'])} exercises, {len(doc['nations'])} nations, "
        f"{len(doc['sites'])} sites, {len(document) / 1024:.0f} KiB"
    )
    rows, notes = [], []
    with sqlite_database() as url:
        rows.append(run_service("SQLite", url, document, args))
        print(rows[-1])
    base_pg = None if args.no_postgres else postgres_base_url()
    if base_pg is not None:
        with postgres_database(base_pg) as url:
            notes.append(f"PostgreSQL {postgres_version(url)} on loopback")
            rows.append(run_service("PostgreSQL", url, document, args))
            print(rows[-1])
    rows.append(run_bare(args))
    print(rows[-1])

    load_after = os.getloadavg()
    table = _table(rows)
    print("\n".join(table))
    about = machine()
    text = [
        "# API benchmark",
        "",
        f"`make bench-api` ({' '.join(sys.argv[1:]) or 'defaults'}), "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Scenario: `solver.generate('M', "
        f"{args.seed})`, {len(doc['units'])} units, {len(doc['exercises'])} exercises, "
        f"{len(document) / 1024:.0f} KiB. One uvicorn worker per server, client and server on "
        f"the same machine over loopback. Load: {args.clients} concurrent httpx clients, "
        f"{args.puts} PUTs with If-Match over {WRITERS} units and {NATION_WRITERS} nations "
        "(GET, PUT, again on 412); latency is the PUT's, throughput counts PUTs per second "
        "of the whole run (each with its GET). The bare FastAPI row runs the same GET + PUT "
        "load against `bench/bare_app.py` (no database).",
        "",
        *table,
        "",
        "Lost updates are checked per resource: the accepted writes must form one chain of "
        "versions, the stored set must be the last accepted write's marker, and every 412 "
        "must name a version another accepted write had moved on from.",
        "",
        "Machine:",
        *(f"- {k}: {v}" for k, v in about.items()),
        *(f"- {n}" for n in notes),
        f"- load average (1 min) before / after the run: {load_before[0]:.1f} / "
        f"{load_after[0]:.1f} (other work was running on the machine)",
        "",
    ]
    RESULTS.write_text("\n".join(text))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    failed = [r for r in rows if r.get("problems")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
