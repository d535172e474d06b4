"""The whole programme as one document: import, export, round trip, schema, programme."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from solver import Scenario, generate, parse_scenario
from tests.app.conftest import assert_problem, snapshot, tiny_scenario

pytestmark = pytest.mark.anyio


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The scenario's data with every default spelled out, lists of resources in key order.

    An empty `availability` list and none mean the same (no limit); both read as null.
    """
    data = parse_scenario(document).model_dump(mode="json")
    for key, field in (("nations", "code"), ("units", "id"), ("sites", "id"), ("exercises", "id")):
        data[key] = sorted(data[key], key=lambda item, f=field: item[f])
        for item in data[key]:
            if item.get("availability") == []:
                item["availability"] = None
    return data


async def _round_trip(client: httpx.AsyncClient, document: dict[str, Any]) -> dict[str, Any]:
    response = await client.put("/api/v1/scenario", json=document)
    assert response.status_code == 200, response.text
    exported = await client.get("/api/v1/scenario")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/json"
    return exported.json()


async def test_tiny_round_trip(client: httpx.AsyncClient) -> None:
    document = tiny_scenario()
    exported = await _round_trip(client, document)
    assert canonical(exported) == canonical(document)
    # and exporting what was imported from an export gives the very same document
    assert await _round_trip(client, exported) == exported


async def test_generated_programme_round_trip(client: httpx.AsyncClient) -> None:
    document = json.loads(generate("S", 7).model_dump_json())
    exported = await _round_trip(client, document)
    assert canonical(exported) == canonical(document)
    summary = (await client.put("/api/v1/scenario", json=exported)).json()
    assert summary["units"] == len(document["units"])
    assert summary["exercises"] == len(document["exercises"])


async def test_import_replaces_everything(tiny_client: httpx.AsyncClient) -> None:
    document = tiny_scenario()
    document["name"] = "Smaller"
    document["units"] = [u for u in document["units"] if u["id"] != "NL-MED-1"]
    document["exercises"] = [e for e in document["exercises"] if e["id"] == "CV95"]
    exported = await _round_trip(tiny_client, document)
    assert exported["name"] == "Smaller"
    assert [u["id"] for u in exported["units"]] == ["PL-INF-1", "RO-INF-1", "SE-SAR-1"]
    assert [e["id"] for e in exported["exercises"]] == ["CV95"]
    assert_problem(await tiny_client.get("/api/v1/units/NL-MED-1"), 404)


async def test_an_invalid_scenario_lists_every_problem_and_changes_nothing(
    tiny_client: httpx.AsyncClient,
) -> None:
    before = await snapshot(tiny_client)
    document = tiny_scenario()
    document["units"][0]["nation"] = "DE"
    document["units"][1]["personnel"] = 0
    document["exercises"][0]["after"] = [{"exercise": "NOPE"}]
    response = await tiny_client.put("/api/v1/scenario", json=document)
    body = assert_problem(response, 422, "/units/1/personnel")
    # field errors come first; the cross-rules run once the fields are right
    document["units"][1]["personnel"] = 10
    response = await tiny_client.put("/api/v1/scenario", json=document)
    body = assert_problem(response, 422, "/units/0/nation")
    assert "/exercises/0/after/0/exercise" in [e["pointer"] for e in body["errors"]]
    assert await snapshot(tiny_client) == before


async def test_schema_is_generated_from_the_models(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/scenario/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    schema = response.json()
    expected = Scenario.model_json_schema()
    assert schema["properties"] == expected["properties"]
    assert schema["$defs"] == expected["$defs"]
    assert {"name", "horizon"} <= set(schema["required"])
    assert set(schema["$defs"]) >= {"Nation", "Unit", "Site", "Exercise", "Window"}


async def test_programme_name_and_horizon(tiny_client: httpx.AsyncClient) -> None:
    programme = (await tiny_client.get("/api/v1/scenario/meta")).json()
    assert programme == {
        "name": "Tiny June programme",
        "horizon": {"start": "1995-06-01", "end": "1995-06-30"},
    }
    wider = {"name": "June-July", "horizon": {"start": "1995-06-01", "end": "1995-07-31"}}
    assert (await tiny_client.put("/api/v1/scenario/meta", json=wider)).json() == wider
    exported = (await tiny_client.get("/api/v1/scenario")).json()
    assert exported["name"] == "June-July"
    assert exported["horizon"]["end"] == "1995-07-31"


async def test_a_horizon_that_leaves_data_outside_is_409(tiny_client: httpx.AsyncClient) -> None:
    before = await snapshot(tiny_client)
    narrow = {"name": "x", "horizon": {"start": "1995-06-01", "end": "1995-06-12"}}
    body = assert_problem(await tiny_client.put("/api/v1/scenario/meta", json=narrow), 409)
    reasons = " ".join(e["reason"] for e in body["errors"])
    assert "exercise CH95" in reasons
    assert await snapshot(tiny_client) == before
