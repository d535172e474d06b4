"""Concurrent writes of the same resource: one wins, the others get 409, never a 500."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest

from app.db.engine import is_sqlite, normalise_url
from solver import generate
from tests.app.conftest import tiny_scenario

pytestmark = pytest.mark.anyio


async def test_concurrent_creates_of_one_unit(tiny_client: httpx.AsyncClient) -> None:
    unit = {"id": "PL-ENG-1", "nation": "PL", "capability": "engineer_platoon", "personnel": 40}
    statuses: list[int] = []

    async def create() -> None:
        response = await tiny_client.post("/api/v1/units", json=unit)
        statuses.append(response.status_code)
        if response.status_code != 201:
            assert response.headers["content-type"].startswith("application/problem+json")

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(create)
    assert sorted(statuses) == [201] + [409] * 5
    page = (await tiny_client.get("/api/v1/units?capability=engineer_platoon")).json()
    assert page["total"] == 1


async def test_concurrent_replaces_leave_one_whole_version(tiny_client: httpx.AsyncClient) -> None:
    unit = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
    versions = [
        {
            **unit,
            "personnel": 100 + k,
            "blackouts": [{"start": f"1995-06-{10 + k}", "end": f"1995-06-{10 + k}"}],
        }
        for k in range(5)
    ]

    async def replace(body: dict) -> None:
        response = await tiny_client.put("/api/v1/units/PL-INF-1", json=body)
        assert response.status_code in (200, 503), response.text

    async with anyio.create_task_group() as group:
        for body in versions:
            group.start_soon(replace, body)
    stored = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
    # whichever write came last, its fields and windows came together
    assert stored in versions


def test_postgresql_urls_mean_psycopg() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert is_sqlite("sqlite:///./var/pfp.db")
    assert not is_sqlite("postgresql://u@h/db")


async def test_unit_replaces_and_availability_writes_never_mix(
    tiny_client: httpx.AsyncClient,
) -> None:
    unit = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
    path = "/api/v1/units/PL-INF-1/availability"

    def blackout(day: int) -> list[dict[str, str]]:
        return [{"start": f"1995-06-{day:02d}", "end": f"1995-06-{day:02d}"}]

    sets = [blackout(10 + k) for k in range(8)]

    async def replace(k: int) -> None:
        response = await tiny_client.put(
            "/api/v1/units/PL-INF-1", json={**unit, "blackouts": sets[k]}
        )
        assert response.status_code in (200, 503), response.text

    async def availability(k: int) -> None:
        etag = (await tiny_client.get(path)).headers["etag"]
        response = await tiny_client.put(
            path, json={"availability": None, "blackouts": sets[k]}, headers={"If-Match": etag}
        )
        assert response.status_code in (200, 412, 503), response.text

    async with anyio.create_task_group() as group:
        for k in range(4):
            group.start_soon(replace, k)
            group.start_soon(availability, 4 + k)
    stored = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
    assert stored["blackouts"] in sets  # one write's whole set, never two merged


async def test_an_export_during_imports_is_all_old_or_all_new(client: httpx.AsyncClient) -> None:
    small = tiny_scenario()
    large = json.loads(generate("S", 3).model_dump_json())
    assert (await client.put("/api/v1/scenario", json=small)).status_code == 200
    names = {small["name"]: len(small["units"]), large["name"]: len(large["units"])}
    assert len(names) == 2
    exports: list[dict] = []

    async def imports() -> None:
        for document in (large, small, large, small, large):
            response = await client.put("/api/v1/scenario", json=document)
            assert response.status_code == 200, response.text

    async def export() -> None:
        for _ in range(8):
            response = await client.get("/api/v1/scenario")
            assert response.status_code == 200, response.text
            exports.append(response.json())

    async with anyio.create_task_group() as group:
        group.start_soon(imports)
        group.start_soon(export)
        group.start_soon(export)
    for exported in exports:
        assert len(exported["units"]) == names[exported["name"]]
