"""Helpers for the solve-job tests: read a job's server-sent events, wait for its status."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from solver import Calendar, check_calendar, parse_scenario_json


def parse_events(text: str) -> list[tuple[str, Any]]:
    """`(event, data)` pairs of a text/event-stream body (comments skipped)."""
    events = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith(":")]
        if not lines:
            continue
        fields = dict(line.split(": ", 1) for line in lines)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


async def follow(client: httpx.AsyncClient, calendar_id: str) -> list[tuple[str, Any]]:
    """The job's whole event stream, read until the server closes it after `done`."""
    response = await client.get(f"/api/v1/calendars/{calendar_id}/events")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_events(response.text)


async def start(client: httpx.AsyncClient, **options: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/calendars", json=options)
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/calendars/{job['id']}"
    return job


async def wait_for(
    client: httpx.AsyncClient, calendar_id: str, ready: Any, tries: int = 600
) -> dict[str, Any]:
    """The job once `ready(job)` holds, reading its own status (bounded: 600 tries of 50 ms)."""
    for _ in range(tries):
        job = (await client.get(f"/api/v1/calendars/{calendar_id}")).json()
        if ready(job):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {calendar_id} never got there: {job}")


def assert_valid(job: dict[str, Any], scenario_json: str) -> Calendar:
    """The job's calendar keeps every hard rule of the scenario it was solved for."""
    calendar = Calendar.model_validate(job["calendar"])
    result = check_calendar(parse_scenario_json(scenario_json), calendar)
    assert result.ok, result.violations
    return calendar
