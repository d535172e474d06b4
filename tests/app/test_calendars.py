"""Solve jobs through the HTTP API: request, follow, read, list, approve, publish, bad cases."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.app.calendar_helpers import assert_valid, follow, start
from tests.app.conftest import assert_problem, tiny_scenario

pytestmark = pytest.mark.anyio


async def test_a_solve_streams_its_progress_and_keeps_a_valid_calendar(
    tiny_client: httpx.AsyncClient,
) -> None:
    job = await start(tiny_client, time_limit_s=2, workers=1, seed=3, name="June draft")
    assert job["status"] in ("queued", "running")
    assert (job["state"], job["name"], job["calendar"]) == ("draft", "June draft", None)
    assert job["params"] == {"time_limit_s": 2.0, "workers": 1, "seed": 3}
    assert len(job["scenario_sha256"]) == 64

    events = await follow(tiny_client, job["id"])
    names = [name for name, _ in events]
    assert names[0] == "status" and names[-1] == "done", names
    assert "progress" in names
    progress = next(data for name, data in events if name == "progress")
    assert {"elapsed_s", "kpi", "bound", "gap"} <= progress.keys()
    assert events[-1][1]["status"] == "completed"

    done = (await tiny_client.get(f"/api/v1/calendars/{job['id']}")).json()
    assert done["status"] == "completed" and done["error"] is None
    assert done["started_at"] and done["finished_at"]
    assert done["progress"]["kpi"] == done["calendar"]["kpi"] == done["kpi"]
    assert done["calendar"]["format"] == "pfp-calendar/1"
    calendar = assert_valid(done, json.dumps(tiny_scenario()))
    assert calendar.scheduled

    # a finished job's stream replays its final state and closes
    replay = await follow(tiny_client, job["id"])
    assert [name for name, _ in replay] == ["status", "done"]
    assert replay[0][1]["status"] == "completed"


async def test_the_snapshot_is_the_data_as_it_stood(tiny_client: httpx.AsyncClient) -> None:
    first = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, first["id"])
    changed = tiny_scenario()
    changed["name"] = "Renamed"
    assert (await tiny_client.put("/api/v1/scenario", json=changed)).status_code == 200
    second = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, second["id"])
    a = (await tiny_client.get(f"/api/v1/calendars/{first['id']}")).json()
    b = (await tiny_client.get(f"/api/v1/calendars/{second['id']}")).json()
    assert a["scenario_sha256"] != b["scenario_sha256"]
    assert a["calendar"]["scenario"] == tiny_scenario()["name"]
    assert b["calendar"]["scenario"] == "Renamed"


async def test_list_newest_first_with_filters(tiny_client: httpx.AsyncClient) -> None:
    ids = []
    for _ in range(2):
        job = await start(tiny_client, time_limit_s=1, workers=1)
        await follow(tiny_client, job["id"])
        ids.append(job["id"])
    page = (await tiny_client.get("/api/v1/calendars")).json()
    assert [item["id"] for item in page["items"]] == ids[::-1]
    assert page["total"] == 2 and "calendar" not in page["items"][0]
    assert page["items"][0]["kpi"] is not None
    one = (await tiny_client.get("/api/v1/calendars", params={"limit": 1, "offset": 1})).json()
    assert [item["id"] for item in one["items"]] == ids[:1]
    done = await tiny_client.get("/api/v1/calendars", params={"status": "completed"})
    assert done.json()["total"] == 2
    failed = await tiny_client.get("/api/v1/calendars", params={"status": "failed"})
    assert failed.json()["total"] == 0
    approved = await tiny_client.get("/api/v1/calendars", params={"state": "approved"})
    assert approved.json()["total"] == 0


async def test_approval_publishes_the_programme(tiny_client: httpx.AsyncClient) -> None:
    assert_problem(await tiny_client.get("/api/v1/programme"), 404)
    first = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, first["id"])
    second = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, second["id"])

    approved = await tiny_client.post(f"/api/v1/calendars/{first['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved" and approved.json()["approved_at"]
    programme = (await tiny_client.get("/api/v1/programme")).json()
    assert programme["id"] == first["id"]
    assert programme["calendar"] == approved.json()["calendar"]

    # approving again changes nothing; a later approval is the new programme
    again = await tiny_client.post(f"/api/v1/calendars/{first['id']}/approve")
    assert again.json()["approved_at"] == approved.json()["approved_at"]
    await tiny_client.post(f"/api/v1/calendars/{second['id']}/approve")
    assert (await tiny_client.get("/api/v1/programme")).json()["id"] == second["id"]
    # an approved calendar is not cancelled, nor changed by anything
    assert_problem(await tiny_client.post(f"/api/v1/calendars/{first['id']}/cancel"), 409)
    assert (await tiny_client.get(f"/api/v1/calendars/{first['id']}")).json() == approved.json()


async def test_finished_jobs_cannot_be_cancelled(tiny_client: httpx.AsyncClient) -> None:
    job = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, job["id"])
    body = assert_problem(await tiny_client.post(f"/api/v1/calendars/{job['id']}/cancel"), 409)
    assert "completed" in body["detail"]


async def test_a_base_must_be_an_approved_calendar(tiny_client: httpx.AsyncClient) -> None:
    draft = await start(tiny_client, time_limit_s=1, workers=1)
    await follow(tiny_client, draft["id"])
    before = (await tiny_client.get("/api/v1/calendars")).json()["total"]
    body = assert_problem(
        await tiny_client.post("/api/v1/calendars", json={"base": draft["id"]}), 422, "/base"
    )
    assert "not approved" in body["detail"]
    assert_problem(await tiny_client.post("/api/v1/calendars", json={"base": "zzz"}), 422, "/base")
    assert (await tiny_client.get("/api/v1/calendars")).json()["total"] == before


async def test_the_time_limit_has_a_cap(tiny_client: httpx.AsyncClient) -> None:
    body = assert_problem(
        await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 601}),
        422,
        "/time_limit_s",
    )
    assert "600" in body["detail"]
    assert (await tiny_client.get("/api/v1/calendars")).json()["total"] == 0


async def test_no_body_means_the_defaults(client: httpx.AsyncClient) -> None:
    """An empty programme (a name and horizon, nothing else) gives an empty calendar."""
    programme = {"name": "Empty", "horizon": {"start": "1995-06-01", "end": "1995-06-30"}}
    assert (await client.put("/api/v1/scenario/meta", json=programme)).status_code == 200
    response = await client.post("/api/v1/calendars")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["params"]["time_limit_s"] == 30.0
    events = await follow(client, job["id"])
    assert events[-1] == ("done", events[-1][1]) and events[-1][1]["status"] == "completed"
    done = (await client.get(f"/api/v1/calendars/{job['id']}")).json()
    assert done["calendar"]["scheduled"] == [] and done["calendar"]["unscheduled"] == []
    approved = await client.post(f"/api/v1/calendars/{job['id']}/approve")
    assert approved.status_code == 200, approved.text


async def test_no_programme_no_solve(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/api/v1/calendars", json={}), 409)
    assert "/api/v1/scenario" in body["detail"]


async def test_a_replan_moves_only_what_a_change_of_availability_touched(
    tiny_client: httpx.AsyncClient,
) -> None:
    """After approval, Romania's infantry company gets a blackout on a day of Combined
    Endeavour's placement: the re-plan moves that exercise alone and reports the diff."""
    first = await start(tiny_client, time_limit_s=2, workers=1)
    await follow(tiny_client, first["id"])
    assert (await tiny_client.post(f"/api/v1/calendars/{first['id']}/approve")).status_code == 200
    approved = (await tiny_client.get("/api/v1/programme")).json()["calendar"]
    placed = {s["exercise"]: s for s in approved["scheduled"]}
    assert "RO-INF-1" in placed["CB95"]["units"]
    start_day = int(placed["CB95"]["start"][-2:])
    blocked = f"1995-06-{start_day:02d}" if start_day < 6 else "1995-06-15"

    unit = (await tiny_client.get("/api/v1/units/RO-INF-1")).json()
    unit["blackouts"] = [{"start": blocked, "end": blocked}]
    assert (await tiny_client.put("/api/v1/units/RO-INF-1", json=unit)).status_code == 200

    replan = await start(tiny_client, time_limit_s=2, workers=1, base=first["id"])
    assert replan["base"] == first["id"]
    events = await follow(tiny_client, replan["id"])
    assert events[-1][1]["status"] == "completed"
    done = (await tiny_client.get(f"/api/v1/calendars/{replan['id']}")).json()
    changed = tiny_scenario()
    changed["units"][1]["blackouts"] = [{"start": blocked, "end": blocked}]
    assert_valid(done, json.dumps(changed))
    assert done["diff"]["changed"] == ["CB95"], done["diff"]
    assert done["progress"]["changes"] == 1
    assert all(data["changes"] is not None for name, data in events if name == "progress")
    assert [m["exercise"] for m in done["diff"]["moved"]] == ["CB95"]
    assert done["diff"]["summary"]
    after = {s["exercise"]: s for s in done["calendar"]["scheduled"]}
    assert {k: v for k, v in after.items() if k != "CB95"} == {
        k: v for k, v in placed.items() if k != "CB95"
    }
    # the base, approved, did not change
    assert (await tiny_client.get("/api/v1/programme")).json()["calendar"] == approved
    # the same diff on demand, and the way back
    there = await tiny_client.get(f"/api/v1/calendars/{first['id']}/diff/{replan['id']}")
    assert there.status_code == 200 and there.json() == done["diff"]
    back = (await tiny_client.get(f"/api/v1/calendars/{replan['id']}/diff/{first['id']}")).json()
    assert back["changed"] == ["CB95"] and back["moved"][0]["to_start"] == placed["CB95"]["start"]


async def test_diff_needs_two_calendars(tiny_client: httpx.AsyncClient) -> None:
    job = await start(tiny_client, time_limit_s=1, workers=1, seed=1)
    await follow(tiny_client, job["id"])
    same = (await tiny_client.get(f"/api/v1/calendars/{job['id']}/diff/{job['id']}")).json()
    assert same["changed"] == [] and same["unchanged"] > 0
    assert_problem(await tiny_client.get(f"/api/v1/calendars/{job['id']}/diff/nope"), 404)
    assert_problem(await tiny_client.get(f"/api/v1/calendars/nope/diff/{job['id']}"), 404)


async def test_openapi_documents_the_solve_endpoints(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    post = spec["paths"]["/api/v1/calendars"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert {"time_limit_s", "workers", "seed", "name", "base"} <= body["properties"].keys()
    assert "202" in post["responses"]
    events = spec["paths"]["/api/v1/calendars/{calendar_id}/events"]["get"]
    assert "text/event-stream" in events["responses"]["200"]["content"]
    for path in ("/cancel", "/approve", "/diff/{other_id}"):
        assert f"/api/v1/calendars/{{calendar_id}}{path}" in spec["paths"]
    assert "/api/v1/programme" in spec["paths"] and "/api/v1/scenario/meta" in spec["paths"]
