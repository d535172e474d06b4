"""GET /api/v1/calendars/{id}/conflicts: explanations of a solved calendar, over HTTP."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import create_db_engine
from app.db.models import CalendarRecord
from app.settings import Settings
from tests.app.calendar_helpers import follow, start
from tests.app.conftest import assert_problem, tiny_scenario

pytestmark = pytest.mark.anyio


async def _solved(client: httpx.AsyncClient) -> str:
    job = await start(client, time_limit_s=2, workers=1, seed=0)
    events = await follow(client, job["id"])
    assert events[-1][1]["status"] == "completed"
    return job["id"]


async def test_conflicts_of_the_tiny_calendar(tiny_client: httpx.AsyncClient) -> None:
    calendar_id = await _solved(tiny_client)
    response = await tiny_client.get(f"/api/v1/calendars/{calendar_id}/conflicts")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["calendar"] == calendar_id and body["status"] == "optimal"
    (cv95,) = body["unscheduled"]
    assert cv95["exercise"] == "CV95" and cv95["status"] == "static"
    assert "needs 2 SAR helicopters" in cv95["message"]
    assert "SE-SAR-1 (Sweden)" in cv95["message"]
    ask = next(s for s in cv95["suggestions"] if s["kind"] == "ask_for_unit")
    assert ask["verified"] is True
    assert ask["changes"][0]["entity"] == "unit" and ask["changes"][0]["from"] is None
    assert ask["cost"]["kpi_delta"]["priority_scheduled"] == 30
    assert {c["code"] for c in body["data_conflicts"]} >= {"capability_short"}
    assert body["minimal"] == 1
    # CB95 prefers June and starts in June: no soft conflict about it
    assert all(s.get("exercise") != "CB95" for s in body["soft"])

    # kept with the calendar: the second answer is the stored one
    again = await tiny_client.get(f"/api/v1/calendars/{calendar_id}/conflicts")
    assert again.json() == body


async def test_the_cache_is_the_calendar_row(
    tiny_client: httpx.AsyncClient, settings: Settings
) -> None:
    calendar_id = await _solved(tiny_client)
    first = (await tiny_client.get(f"/api/v1/calendars/{calendar_id}/conflicts")).json()
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                select(CalendarRecord.explanations).where(CalendarRecord.id == calendar_id)
            ).scalar_one()
    finally:
        engine.dispose()
    assert stored == first


async def test_unknown_calendar_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/calendars/nope/conflicts")
    assert_problem(response, 404)


async def test_a_job_without_a_calendar_is_409(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session, session.begin():
            session.add(
                CalendarRecord(
                    id="running1",
                    status="running",
                    state="draft",
                    created_at=dt.datetime.now(dt.UTC),
                    params={"time_limit_s": 1.0, "workers": 1, "seed": 0},
                    scenario_json=json.dumps(tiny_scenario()),
                    scenario_sha256="0" * 64,
                )
            )
    finally:
        engine.dispose()
    response = await client.get("/api/v1/calendars/running1/conflicts")
    body = assert_problem(response, 409)
    assert "running" in body["detail"]
