"""Concurrent availability writers against a live server, and the proof that none was lost.

Each of `clients` httpx clients loops: GET a resource (its ETag), PUT a blackout set carrying
a marker unique to this write with `If-Match`, and on 412 tries that resource again; in all
`puts` PUTs are sent. Afterwards, per resource, the accepted writes must form one chain
(each accepted PUT's If-Match is the version the previous accepted PUT produced, starting
from the version read before the run): two accepted writes from the same version would be a
lost update. The stored set must be the last accepted write's, and every 412 must name a
version that another accepted write had already moved on from.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Write:
    resource: str
    base: int
    status: int
    new: int | None
    marker: int
    latency_s: float


@dataclass
class LoadResult:
    writes: list[Write] = field(default_factory=list)
    wall_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(w.status == 200 for w in self.writes)

    @property
    def stale(self) -> int:
        return sum(w.status == 412 for w in self.writes)

    def latency_ms(self, q: float) -> float:
        values = sorted(w.latency_s for w in self.writes)
        return 1000 * values[min(len(values) - 1, int(q * len(values)))]

    @property
    def throughput(self) -> float:
        return len(self.writes) / self.wall_s if self.wall_s else 0.0


def _version(etag: str) -> int:
    return int(etag.strip('"'))


def marker_blackouts(marker: int, horizon_start: dt.date) -> dict[str, Any]:
    """A blackout set that names one write: a window whose start and length encode `marker`."""
    start = horizon_start + dt.timedelta(days=marker % 360)
    end = start + dt.timedelta(days=marker // 360)
    return {"blackouts": [{"start": start.isoformat(), "end": end.isoformat()}]}


async def run_load(
    base_url: str,
    resources: list[str],
    *,
    horizon_start: dt.date,
    clients: int = 50,
    puts: int = 2000,
    seed: int = 0,
    verify: bool = True,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    result = LoadResult()
    tickets = iter(range(puts))
    initial: dict[str, int] = {}
    if verify:
        async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=headers) as c:
            for url in resources:
                initial[url] = _version((await c.get(url)).headers["etag"])

    async def client(number: int) -> None:
        rng = random.Random(f"{seed}-{number}")
        retry: str | None = None
        async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=headers) as c:
            for marker in tickets:
                url = retry or rng.choice(resources)
                got = await c.get(url)
                base = _version(got.headers["etag"])
                begin = time.perf_counter()
                put = await c.put(
                    url,
                    json=marker_blackouts(marker, horizon_start),
                    headers={"If-Match": got.headers["etag"]},
                )
                latency = time.perf_counter() - begin
                new = _version(put.headers["etag"]) if put.status_code == 200 else None
                result.writes.append(Write(url, base, put.status_code, new, marker, latency))
                retry = url if put.status_code == 412 else None

    begin = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    result.wall_s = time.perf_counter() - begin
    if verify:
        await _verify(base_url, resources, initial, horizon_start, result, headers)
    return result


async def _verify(
    base_url: str,
    resources: list[str],
    initial: dict[str, int],
    horizon_start: dt.date,
    result: LoadResult,
    headers: dict[str, str] | None = None,
) -> None:
    others = [w for w in result.writes if w.status not in (200, 412)]
    for w in others[:5]:
        result.problems.append(f"{w.resource}: PUT answered {w.status}")
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=headers) as c:
        for url in resources:
            mine = [w for w in result.writes if w.resource == url]
            accepted = sorted((w for w in mine if w.status == 200), key=lambda w: w.new or 0)
            expected_base = initial[url]
            consumed = set()
            for w in accepted:
                if w.base != expected_base:
                    result.problems.append(
                        f"{url}: accepted write {w.marker} from version {w.base}, "
                        f"but {expected_base} was current: an update was lost"
                    )
                consumed.add(w.base)
                expected_base = w.new or 0
            for w in mine:
                if w.status == 412 and w.base not in consumed:
                    result.problems.append(f"{url}: 412 on version {w.base}, still current")
            stored = await c.get(url)
            if _version(stored.headers["etag"]) != expected_base:
                result.problems.append(f"{url}: stored version is not the last accepted one")
            if accepted:
                want = marker_blackouts(accepted[-1].marker, horizon_start)["blackouts"]
                if stored.json()["blackouts"] != want:
                    result.problems.append(f"{url}: stored blackouts are not the last accepted")


def summary(result: LoadResult) -> dict[str, Any]:
    return {
        "puts": len(result.writes),
        "accepted": result.accepted,
        "stale_412": result.stale,
        "p50_ms": round(result.latency_ms(0.50), 1),
        "p99_ms": round(result.latency_ms(0.99), 1),
        "puts_per_s": round(result.throughput, 1),
        "lost_updates": sum("lost" in p for p in result.problems),
        "problems": len(result.problems),
        "median_ms": round(1000 * statistics.median(w.latency_s for w in result.writes), 1),
    }
