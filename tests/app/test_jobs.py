"""Solve jobs under stress: cancel keeps the best calendar, a killed worker fails its job, a
restart or a shutdown never leaves a job `running`."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.calendars.service import RESTARTED
from app.db import create_db_engine
from app.db.models import CalendarRecord
from app.main import create_app
from app.settings import Settings
from solver import generate
from tests.app.calendar_helpers import assert_valid, follow, start, wait_for
from tests.app.conftest import bearer, issue_secret

pytestmark = pytest.mark.anyio

JUNE = {"start": "1995-06-01", "end": "1995-06-30"}


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with LifespanManager(app, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        headers = bearer(issue_secret(app, "admin"))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://pfp.test", headers=headers
        ) as client:
            yield app, client


@pytest.fixture(scope="module")
def medium_scenario() -> str:
    """The M benchmark programme (300 units, 60 exercises): its solve runs long enough."""
    return generate("M", 1).model_dump_json(exclude_none=True)


async def load(client: httpx.AsyncClient, scenario_json: str) -> None:
    response = await client.put(
        "/api/v1/scenario", content=scenario_json, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text


def has_progress(job: dict) -> bool:
    return job["status"] != "queued" and job["progress"] is not None


@pytest.mark.slow
async def test_cancel_keeps_the_best_calendar(settings: Settings, medium_scenario: str) -> None:
    async with serving(settings) as (_, client):
        await load(client, medium_scenario)
        job = await start(client, time_limit_s=60, workers=1)
        await wait_for(client, job["id"], has_progress)
        response = await client.post(f"/api/v1/calendars/{job['id']}/cancel")
        assert response.status_code == 200, response.text
        cancelled = response.json()
        assert cancelled["status"] == "cancelled"
        assert cancelled["calendar"] is not None and cancelled["finished_at"]
        record_json = (await client.get(f"/api/v1/calendars/{job['id']}")).json()
        assert record_json == cancelled
        calendar = assert_valid(cancelled, medium_scenario)
        assert calendar.scheduled
        events = await follow(client, job["id"])
        assert events[-1][1]["status"] == "cancelled"
        # a cancelled calendar with a usable calendar may still be approved
        approved = await client.post(f"/api/v1/calendars/{job['id']}/approve")
        assert approved.status_code == 200, approved.text


@pytest.mark.slow
async def test_a_killed_worker_fails_its_job(settings: Settings, medium_scenario: str) -> None:
    async with serving(settings) as (app, client):
        await load(client, medium_scenario)
        job = await start(client, time_limit_s=60, workers=1)
        await wait_for(client, job["id"], has_progress)
        pid = app.state.job_runner.worker_pids()[job["id"]]
        os.kill(pid, signal.SIGKILL)
        events = await follow(client, job["id"])
        assert events[-1][0] == "done" and events[-1][1]["status"] == "failed"
        failed = (await client.get(f"/api/v1/calendars/{job['id']}")).json()
        assert failed["status"] == "failed" and failed["calendar"] is None
        assert "worker process stopped" in failed["error"]
        body = await client.post(f"/api/v1/calendars/{job['id']}/approve")
        assert body.status_code == 409
        # the pool replaces the worker: the next solve runs
        again = await start(client, time_limit_s=1, workers=1)
        events = await follow(client, again["id"])
        assert events[-1][1]["status"] == "completed"


async def test_a_restart_fails_the_jobs_left_running(settings: Settings) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session, session.begin():
            for status in ("running", "queued"):
                session.add(
                    CalendarRecord(
                        id=f"left-{status}",
                        status=status,
                        state="draft",
                        created_at=dt.datetime.now(dt.UTC),
                        params={"time_limit_s": 5.0, "workers": 1, "seed": 0},
                        scenario_json="{}",
                        scenario_sha256="0" * 64,
                    )
                )
    finally:
        engine.dispose()
    async with serving(settings) as (_, client):
        for status in ("running", "queued"):
            job = (await client.get(f"/api/v1/calendars/left-{status}")).json()
            assert (job["status"], job["error"]) == ("failed", RESTARTED)
            assert job["finished_at"]
        listed = (await client.get("/api/v1/calendars", params={"status": "running"})).json()
        assert listed["total"] == 0
        # a failed job has no calendar to compare or approve
        body = (await client.get("/api/v1/calendars/left-running/diff/left-queued")).json()
        assert body["status"] == 409 and "no calendar" in body["detail"]
        assert (await client.post("/api/v1/calendars/left-running/approve")).status_code == 409


@pytest.mark.slow
async def test_shutdown_stops_running_solves(settings: Settings, medium_scenario: str) -> None:
    async with serving(settings) as (_, client):
        await load(client, medium_scenario)
        job = await start(client, time_limit_s=60, workers=1)
        await wait_for(client, job["id"], has_progress)
        queued = await start(client, time_limit_s=60, workers=1)
        queued2 = await start(client, time_limit_s=60, workers=1)  # two workers: one waits
    async with serving(settings) as (_, client):
        stopped = (await client.get(f"/api/v1/calendars/{job['id']}")).json()
        assert stopped["status"] == "cancelled" and stopped["calendar"] is not None
        for other in (queued, queued2):
            after = (await client.get(f"/api/v1/calendars/{other['id']}")).json()
            assert after["status"] in ("cancelled", "failed"), after


class RefusingRunner:
    """A runner that cannot start anything (as when no worker process can be spawned)."""

    def submit(self, *args: object) -> None:
        raise RuntimeError("no worker process could start")


async def test_a_job_the_runner_refuses_fails_at_once(settings: Settings) -> None:
    async with serving(settings) as (app, client):
        await client.put("/api/v1/scenario/meta", json={"name": "Empty", "horizon": JUNE})
        running, app.state.job_runner = app.state.job_runner, RefusingRunner()
        try:
            job = await start(client, time_limit_s=1)
            failed = await wait_for(client, job["id"], lambda j: j["status"] != "queued")
        finally:
            app.state.job_runner = running
        assert failed["status"] == "failed"
        assert "could not be started" in failed["error"]
        assert "no worker process could start" in failed["error"]


@pytest.mark.slow
async def test_open_streams_end_when_the_service_stops(
    settings: Settings, medium_scenario: str
) -> None:
    async with serving(settings) as (app, client):
        await load(client, medium_scenario)
        job = await start(client, time_limit_s=60, workers=1)
        stream = asyncio.create_task(follow(client, job["id"]))
        broadcaster = app.state.job_broadcaster
        for _ in range(600):
            if broadcaster.listening(job["id"]):
                break
            await asyncio.sleep(0.05)
        broadcaster.close_all()  # what `serve` does on SIGTERM / Ctrl-C
        events = await stream
        assert events[0][0] == "status"
        assert events[-1] == ("closing", {"id": job["id"], "reason": "the service is stopping"})
        assert broadcaster.listening(job["id"]) == 0
