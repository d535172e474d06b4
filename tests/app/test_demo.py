"""The demo programme (Partnership for Peace, 1995): valid, with the data conflicts it shows."""

from __future__ import annotations

from importlib import resources

import httpx
import pytest

from solver import Scenario, data_conflicts, parse_scenario_json

ALLIES_1995 = set(
    ["BE", "CA", "DK", "FR", "DE", "GR", "IS", "IT", "LU", "NL", "NO", "PT", "ES", "TR", "GB", "US"]
)
PARTNERS_1994_95 = set(
    [
        "RO",
        "LT",
        "PL",
        "EE",
        "HU",
        "UA",
        "SK",
        "BG",
        "LV",
        "AL",
        "CZ",
        "MD",
        "GE",
        "SI",
        "AZ",
        "FI",
        "SE",
        "TM",
        "KZ",
        "KG",
        "RU",
        "UZ",
        "AM",
        "BY",
        "AT",
        "MT",
        "MK",
    ]
)


def _demo_bytes() -> bytes:
    return (resources.files("app") / "demo" / "pfp-1995.json").read_bytes()


def _demo() -> Scenario:
    return parse_scenario_json(_demo_bytes())


def test_the_demo_is_a_valid_1995_programme() -> None:
    demo = _demo()
    assert demo.name == "Partnership for Peace programme 1995"
    assert (str(demo.horizon.start), str(demo.horizon.end)) == ("1995-01-01", "1995-12-31")
    roles = {n.code: n.role for n in demo.nations}
    assert {c for c, r in roles.items() if r == "ally"} == ALLIES_1995
    assert {c for c, r in roles.items() if r == "partner"} == PARTNERS_1994_95
    assert 20 <= len(demo.exercises) <= 30
    assert {e.type for e in demo.exercises} == {"peacekeeping", "search_and_rescue", "humanitarian"}
    assert any(e.mandatory for e in demo.exercises) and any(e.pinned for e in demo.exercises)
    assert any(e.after for e in demo.exercises)
    hosts = {s.host for s in demo.sites}
    assert {"PL", "DE", "US", "RO", "BG", "UA"} <= hosts


def test_the_demo_shows_a_few_data_conflicts_but_no_infeasible_must() -> None:
    found = {(c.code, tuple(c.exercises or c.nations or c.units)) for c in data_conflicts(_demo())}
    assert ("capability_short", ("CL95",)) in found
    assert ("no_site_available", ("CSE95",)) in found
    assert ("personnel_over_site_capacity", ("CCR95",)) in found
    assert "mandatory_impossible" not in {code for code, _ in found}
    errors = [c for c in data_conflicts(_demo()) if c.severity == "error"]
    assert len(errors) < len(_demo().exercises) // 4


@pytest.mark.anyio
async def test_the_demo_loads_through_the_api(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/api/v1/scenario", content=_demo_bytes(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    conflicts = (await client.get("/api/v1/conflicts", params={"severity": "error"})).json()
    assert {c["code"] for c in conflicts["items"]} == {
        "capability_short",
        "no_site_available",
        "personnel_over_site_capacity",
    }
    exported = (await client.get("/api/v1/scenario")).json()
    assert len(exported["exercises"]) == len(_demo().exercises)
