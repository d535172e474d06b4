"""CRUD of nations, units, sites and exercises over HTTP, with paging, filters and references."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.app.conftest import assert_problem, snapshot

pytestmark = pytest.mark.anyio

# (collection, key, a new resource valid in the tiny programme, a change for PUT)
NEW: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "nations": (
        "code",
        {
            "code": "HU",
            "name": "Hungary",
            "role": "partner",
            "blackouts": [{"start": "1995-06-10", "end": "1995-06-12"}],
            "max_exercises": 2,
        },
        {
            "budget_person_days": 5000,
            "availability": [{"start": "1995-06-05", "end": "1995-06-25"}],
        },
    ),
    "units": (
        "id",
        {
            "id": "PL-ENG-1",
            "nation": "PL",
            "capability": "engineer_platoon",
            "personnel": 40,
            "availability": [{"start": "1995-06-01", "end": "1995-06-20"}],
            "rest_days": 2,
            "home": {"lat": 53.5, "lon": 15.8},
        },
        {"personnel": 45, "blackouts": [{"start": "1995-06-02", "end": "1995-06-03"}]},
    ),
    "sites": (
        "id",
        {
            "id": "RO-CINCU",
            "name": "Cincu training area",
            "host": "RO",
            "kind": "land",
            "supports": ["peacekeeping"],
            "availability": [{"start": "1995-06-01", "end": "1995-06-30"}],
            "capacity_personnel": 800,
            "concurrent": 2,
            "location": {"lat": 45.9, "lon": 24.8},
        },
        {"supports": None, "concurrent": 1},
    ),
    "exercises": (
        "id",
        {
            "id": "CE95",
            "name": "Cooperative Endeavour 95",
            "type": "peacekeeping",
            "duration_days": 5,
            "window": {"start": "1995-06-05", "end": "1995-06-25"},
            "requirements": [{"capability": "infantry_company", "units": 1, "max_units": 2}],
            "min_nations": 1,
            "max_personnel": 400,
            "sites": ["PL-DRAWSKO"],
            "priority": 25,
            "mandatory": False,
            "preferred_months": [6],
            "after": [{"exercise": "CB95", "gap_days": 1}],
            "pinned": {"start": "1995-06-20", "site": "PL-DRAWSKO", "units": ["PL-INF-1"]},
        },
        {"priority": 40, "pinned": None, "sites": None},
    ),
}


@pytest.mark.parametrize("collection", list(NEW))
async def test_create_get_replace_delete(tiny_client: httpx.AsyncClient, collection: str) -> None:
    key, body, change = NEW[collection]
    url = f"/api/v1/{collection}"
    created = await tiny_client.post(url, json=body)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{url}/{body[key]}"
    stored = (await tiny_client.get(created.headers["location"])).json()
    assert {k: stored[k] for k in body} == body

    replaced = await tiny_client.put(f"{url}/{body[key]}", json={**body, **change})
    assert replaced.status_code == 200, replaced.text
    stored = (await tiny_client.get(f"{url}/{body[key]}")).json()
    assert {k: stored[k] for k in change} == change

    assert (await tiny_client.delete(f"{url}/{body[key]}")).status_code == 204
    assert_problem(await tiny_client.get(f"{url}/{body[key]}"), 404)
    assert_problem(await tiny_client.delete(f"{url}/{body[key]}"), 404)


@pytest.mark.parametrize("collection", list(NEW))
async def test_replace_unknown_is_404(tiny_client: httpx.AsyncClient, collection: str) -> None:
    key, body, _ = NEW[collection]
    before = await snapshot(tiny_client)
    assert_problem(await tiny_client.put(f"/api/v1/{collection}/{body[key]}", json=body), 404)
    assert await snapshot(tiny_client) == before


async def test_writes_need_a_programme_first(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/api/v1/nations", json=NEW["nations"][1]), 409)
    assert "/api/v1/scenario/meta" in body["detail"]
    assert_problem(await client.get("/api/v1/scenario"), 404)
    programme = {"name": "Empty", "horizon": {"start": "1995-06-01", "end": "1995-06-30"}}
    assert (await client.put("/api/v1/scenario/meta", json=programme)).status_code == 200
    assert (await client.get("/api/v1/scenario/meta")).json() == programme
    assert (await client.post("/api/v1/nations", json=NEW["nations"][1])).status_code == 201


async def test_list_is_paged_in_key_order(tiny_client: httpx.AsyncClient) -> None:
    first = (await tiny_client.get("/api/v1/nations?limit=3")).json()
    assert [n["code"] for n in first["items"]] == ["NL", "PL", "RO"]
    assert (first["total"], first["limit"], first["offset"]) == (4, 3, 0)
    second = (await tiny_client.get("/api/v1/nations?limit=3&offset=3")).json()
    assert [n["code"] for n in second["items"]] == ["SE"]
    assert second["total"] == 4
    beyond = (await tiny_client.get("/api/v1/nations?offset=10")).json()
    assert beyond["items"] == [] and beyond["total"] == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("/api/v1/units?nation=PL", ["PL-INF-1"]),
        ("/api/v1/units?capability=infantry_company", ["PL-INF-1", "RO-INF-1"]),
        ("/api/v1/units?nation=RO&capability=infantry_company", ["RO-INF-1"]),
        ("/api/v1/units?nation=SE&capability=infantry_company", []),
        ("/api/v1/exercises?type=humanitarian", ["CH95"]),
        ("/api/v1/exercises?capability=medical_team", ["CB95", "CH95"]),
        ("/api/v1/sites?host=SE", ["SE-GOTLAND"]),
        ("/api/v1/sites?kind=land", ["PL-DRAWSKO"]),
        ("/api/v1/nations?role=ally", ["NL"]),
    ],
)
async def test_filters(tiny_client: httpx.AsyncClient, query: str, expected: list[str]) -> None:
    page = (await tiny_client.get(query)).json()
    assert [item.get("id", item.get("code")) for item in page["items"]] == expected
    assert page["total"] == len(expected)


async def test_deleting_a_nation_with_units_names_them(tiny_client: httpx.AsyncClient) -> None:
    before = await snapshot(tiny_client)
    body = assert_problem(await tiny_client.delete("/api/v1/nations/PL"), 409)
    assert "nation PL has 1 unit(s): PL-INF-1" in body["detail"]
    assert "PL-DRAWSKO" in body["detail"]
    assert await snapshot(tiny_client) == before


async def test_a_nation_without_references_can_go(tiny_client: httpx.AsyncClient) -> None:
    assert (await tiny_client.delete("/api/v1/units/NL-MED-1")).status_code == 204
    assert (await tiny_client.delete("/api/v1/nations/NL")).status_code == 204
    codes = [n["code"] for n in (await tiny_client.get("/api/v1/nations")).json()["items"]]
    assert codes == ["PL", "RO", "SE"]


async def test_deleting_a_pinned_unit_or_site_names_the_exercise(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, exercise, _ = NEW["exercises"]
    assert (await tiny_client.post("/api/v1/exercises", json=exercise)).status_code == 201
    body = assert_problem(await tiny_client.delete("/api/v1/units/PL-INF-1"), 409)
    assert "unit PL-INF-1 is pinned in exercise CE95" in body["detail"]
    body = assert_problem(await tiny_client.delete("/api/v1/sites/PL-DRAWSKO"), 409)
    assert "exercise CE95" in body["detail"]
    body = assert_problem(await tiny_client.delete("/api/v1/exercises/CB95"), 409)
    assert "CE95" in body["detail"]


async def test_a_change_that_breaks_a_pin_elsewhere_is_409(tiny_client: httpx.AsyncClient) -> None:
    _, exercise, _ = NEW["exercises"]
    assert (await tiny_client.post("/api/v1/exercises", json=exercise)).status_code == 201
    unit = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
    before = await snapshot(tiny_client)
    response = await tiny_client.put(
        "/api/v1/units/PL-INF-1", json={**unit, "capability": "medical_team"}
    )
    body = assert_problem(response, 409)
    assert "exercise CE95" in body["errors"][0]["reason"]
    assert await snapshot(tiny_client) == before


async def test_window_changes_give_a_new_availability_version(
    tiny_client: httpx.AsyncClient, settings
) -> None:
    from sqlalchemy import select

    from app.db import create_db_engine
    from app.db.models import UnitRecord

    engine = create_db_engine(settings.database_url)

    def version() -> int:
        with engine.connect() as c:
            return c.scalar(
                select(UnitRecord.availability_version).where(UnitRecord.id == "PL-INF-1")
            )

    try:
        unit = (await tiny_client.get("/api/v1/units/PL-INF-1")).json()
        v0 = version()
        await tiny_client.put("/api/v1/units/PL-INF-1", json={**unit, "personnel": 121})
        assert version() == v0
        blackout = [{"start": "1995-06-03", "end": "1995-06-04"}]
        await tiny_client.put("/api/v1/units/PL-INF-1", json={**unit, "blackouts": blackout})
        assert version() != v0
    finally:
        engine.dispose()
