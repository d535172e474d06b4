"""HTTP steps shared by the export and nation-view tests: solve, wait (by SSE), approve."""

from __future__ import annotations

from typing import Any

import httpx

API = "/api/v1"


async def solved(client: httpx.AsyncClient, **options: Any) -> dict[str, Any]:
    """POST a solve (short, one worker), follow its events to the end, return the job."""
    body = {"time_limit_s": 5, "workers": 1, **options}
    response = await client.post(f"{API}/calendars", json=body)
    assert response.status_code == 202, response.text
    calendar_id = response.json()["id"]
    async with client.stream("GET", f"{API}/calendars/{calendar_id}/events") as events:
        assert events.status_code == 200
        async for _ in events.aiter_lines():
            pass
    job = (await client.get(f"{API}/calendars/{calendar_id}")).json()
    assert job["status"] == "completed", job
    return job


async def approved(client: httpx.AsyncClient, **options: Any) -> dict[str, Any]:
    job = await solved(client, **options)
    response = await client.post(f"{API}/calendars/{job['id']}/approve")
    assert response.status_code == 200, response.text
    return response.json()
