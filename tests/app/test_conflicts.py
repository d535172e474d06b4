"""GET /api/v1/conflicts: the stored programme's data conflicts, filtered."""

from __future__ import annotations

import httpx
import pytest

from tests.app.conftest import assert_problem

pytestmark = pytest.mark.anyio

URL = "/api/v1/conflicts"


async def test_the_tiny_programme_is_short_of_sar_helicopters(
    tiny_client: httpx.AsyncClient,
) -> None:
    response = await tiny_client.get(URL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scenario"] == "Tiny June programme"
    [conflict] = [c for c in body["items"] if c["code"] == "capability_short"]
    assert conflict["severity"] == "error"
    assert conflict["exercises"] == ["CV95"] and conflict["units"] == ["SE-SAR-1"]
    assert "SE-SAR-1 (Sweden)" in conflict["message"]
    assert body["errors"] == sum(c["severity"] == "error" for c in body["items"])


async def test_filters_keep_the_conflicts_naming_the_id(tiny_client: httpx.AsyncClient) -> None:
    unit = "/api/v1/units/PL-INF-1/availability"
    etag = (await tiny_client.get(unit)).headers["etag"]
    blackout = {"blackouts": [{"start": "1995-06-01", "end": "1995-06-30"}]}
    put = await tiny_client.put(unit, json=blackout, headers={"If-Match": etag})
    assert put.status_code == 200, put.text

    everything = (await tiny_client.get(URL)).json()["items"]
    assert {"capability_short", "unit_never_available"} <= {c["code"] for c in everything}
    warnings = (await tiny_client.get(URL, params={"severity": "warning"})).json()
    assert warnings["errors"] == 0 and [c["code"] for c in warnings["items"]] == [
        "unit_never_available"
    ]
    sweden = (await tiny_client.get(URL, params={"nation": "SE"})).json()["items"]
    assert sweden and all("SE" in c["nations"] for c in sweden)
    cv95 = await tiny_client.get(URL, params={"exercise": "CV95", "code": "capability_short"})
    assert [c["exercises"] for c in cv95.json()["items"]] == [["CV95"]]
    assert (await tiny_client.get(URL, params={"exercise": "NOPE"})).json()["items"] == []


async def test_no_programme_means_no_conflicts(client: httpx.AsyncClient) -> None:
    body = (await client.get(URL)).json()
    assert body == {"scenario": None, "errors": 0, "warnings": 0, "items": []}


@pytest.mark.parametrize(
    ("params", "parameter"), [({"severity": "fatal"}, "severity"), ({"code": "nonsense"}, "code")]
)
async def test_unknown_filter_values_are_422(
    tiny_client: httpx.AsyncClient, params: dict[str, str], parameter: str
) -> None:
    body = assert_problem(await tiny_client.get(URL, params=params), 422)
    assert [e["parameter"] for e in body["errors"]] == [parameter]
