"""GET /api/v1/nations/{code}/calendar over HTTP: assignments of the published programme, the
nation's data conflicts, and the drift of the approved calendar after an availability PUT."""

from __future__ import annotations

import httpx
import pytest

from tests.app.calendar_steps import API, approved, solved
from tests.app.conftest import assert_problem

pytestmark = pytest.mark.anyio


def placement(job: dict, exercise: str) -> dict:
    return next(s for s in job["calendar"]["scheduled"] if s["exercise"] == exercise)


async def test_before_any_approval_the_view_has_units_and_data_conflicts_only(
    tiny_client: httpx.AsyncClient,
) -> None:
    response = await tiny_client.get(f"{API}/nations/SE/calendar")
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["calendar"] is None and view["exercises"] == []
    assert [(u["id"], u["assignments"]) for u in view["units"]] == [("SE-SAR-1", [])]
    assert "capability_short" in {c["code"] for c in view["data_conflicts"]}
    assert all("SE" in c["nations"] for c in view["data_conflicts"])
    assert view["calendar_conflicts"] == []
    assert_problem(await tiny_client.get(f"{API}/nations/FR/calendar"), 404)
    assert_problem(await tiny_client.get(f"{API}/nations/SE/calendar?calendar=nope"), 404)


async def test_the_view_lists_where_the_units_go_in_the_published_or_a_given_calendar(
    tiny_client: httpx.AsyncClient,
) -> None:
    job = await approved(tiny_client)
    view = (await tiny_client.get(f"{API}/nations/NL/calendar")).json()
    assert view["calendar"]["id"] == job["id"] and view["calendar"]["published"]
    scheduled_with_nl = [s for s in job["calendar"]["scheduled"] if "NL-MED-1" in s["units"]]
    assert sorted(view["exercises"]) == sorted(s["exercise"] for s in scheduled_with_nl)
    [unit] = view["units"]
    assert unit["id"] == "NL-MED-1" and unit["declared"]
    for a in unit["assignments"]:
        s = placement(job, a["exercise"])
        assert (a["start"], a["end"], a["site"]) == (s["start"], s["end"], s["site"])
        assert a["host_nation"] == "PL" and a["site_name"] == "Drawsko Pomorskie training area"
        assert "NL" not in a["other_nations"] and "PL" in a["other_nations"]
    assert view["calendar_conflicts"] == []

    draft = await solved(tiny_client, seed=3)
    other = (await tiny_client.get(f"{API}/nations/NL/calendar?calendar={draft['id']}")).json()
    assert other["calendar"]["id"] == draft["id"] and not other["calendar"]["published"]


async def test_a_blackout_over_approved_days_shows_as_a_conflict_naming_unit_exercise_and_days(
    tiny_client: httpx.AsyncClient,
) -> None:
    job = await approved(tiny_client)
    cb = placement(job, "CB95")
    assert "RO-INF-1" in cb["units"]
    url = f"{API}/units/RO-INF-1/availability"
    current = await tiny_client.get(url)
    blackout = {"start": cb["start"], "end": cb["start"]}
    put = await tiny_client.put(
        url,
        json={**current.json(), "blackouts": [blackout]},
        headers={"If-Match": current.headers["etag"]},
    )
    assert put.status_code == 200, put.text

    view = (await tiny_client.get(f"{API}/nations/RO/calendar")).json()
    [conflict] = view["calendar_conflicts"]
    assert conflict["code"] == "approved_unit_unavailable"
    assert conflict["units"] == ["RO-INF-1"] and conflict["exercises"] == ["CB95"]
    assert conflict["days"] == [blackout]
    assert "RO-INF-1" in conflict["message"] and "Cooperative Bridge 95" in conflict["message"]
    assert cb["start"] in conflict["message"]
    # the assignment itself still shows what was approved
    [unit] = view["units"]
    assert [a["exercise"] for a in unit["assignments"]] == ["CB95"]
    # other nations do not see Romania's conflict
    pl = (await tiny_client.get(f"{API}/nations/PL/calendar")).json()
    assert pl["calendar_conflicts"] == []
