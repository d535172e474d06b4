"""Limits that keep the service up: the programme's size, a solve's time limit per role, solves
per token, the write rate per token; and the security headers and CORS on every answer.

The app here runs with small limits (the `settings` fixture below overrides the shared one).
Solve jobs go to a runner that holds them (`held`), so they stay queued for as long as a test
needs and no worker process starts.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select

from app.auth.principal import Role
from app.db.models import CalendarRecord
from app.main import create_app
from app.settings import Settings
from tests.app.conftest import (
    ClientFactory,
    assert_problem,
    bearer,
    issue_secret,
    snapshot,
    tiny_scenario,
)

pytestmark = pytest.mark.anyio

# tiny.scenario.json holds 4 nations, 4 units, 2 sites, 3 exercises over 30 days
LIMITS = {
    "max_nations": 5,
    "max_units": 5,
    "max_sites": 3,
    "max_exercises": 4,
    "max_horizon_days": 60,
    "solve_time_limit_max_s": 20.0,
    "planner_solve_time_limit_max_s": 5.0,
    "solves_per_token_max": 2,
    "write_rate_limit": "12/minute",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=LIMITS)


class HeldRunner:
    """A job runner that takes jobs and never runs them (cancel: "not held", so the service
    cancels the job itself)."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def start(self) -> None:
        return None

    def submit(self, job_id: str, *_: Any, **__: Any) -> None:
        self.submitted.append(job_id)

    def cancel(self, job_id: str) -> bool:
        return False

    def shutdown(self, grace_s: float = 3.0) -> None:
        return None


@pytest.fixture
def held(app: FastAPI) -> Iterator[HeldRunner]:
    real = app.state.job_runner
    app.state.job_runner = HeldRunner()
    try:
        yield app.state.job_runner
    finally:
        app.state.job_runner = real


def _unit(k: int) -> dict[str, Any]:
    return {
        "id": f"PL-INF-{10 + k}",
        "nation": "PL",
        "capability": "infantry_company",
        "personnel": 100,
    }


NEW = {
    "nations": [
        {"code": "FI", "name": "Finland", "role": "partner"},
        {"code": "AT", "name": "Austria", "role": "partner"},
    ],
    "units": [_unit(1), _unit(2)],
    "sites": [
        {
            "id": f"PL-SITE-{k}",
            "name": f"Site {k}",
            "host": "PL",
            "kind": "land",
            "supports": ["peacekeeping"],
            "capacity_personnel": 500,
        }
        for k in (1, 2)
    ],
    "exercises": [
        {
            "id": f"EX{k}",
            "name": f"Exercise {k}",
            "type": "peacekeeping",
            "duration_days": 3,
            "requirements": [{"capability": "infantry_company", "units": 1}],
        }
        for k in (1, 2)
    ],
}


# --- request bodies ---


def http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "2",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"pfp.test"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("pfp.test", 80),
    }


async def test_a_body_of_unknown_length_is_counted_as_it_is_read(
    running: tuple[FastAPI, Any], client: httpx.AsyncClient
) -> None:
    """Neither Content-Length nor Transfer-Encoding (as over HTTP/2): still 413 above the limit
    (200 kB in the tests), without reading the rest."""
    scope = http_scope(
        "PUT",
        "/api/v1/scenario",
        [
            (b"authorization", client.headers["authorization"].encode()),
            (b"content-type", b"application/json"),
        ],
    )
    chunks = [b"x" * 50_000] * 100  # 5 MB offered
    read = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await running[1](scope, receive, send)
    assert messages[0]["status"] == 413
    assert read == 5  # stopped at the first chunk over the limit


# --- the programme's size ---


async def test_a_scenario_above_the_limits_is_422_naming_each_limit(
    tiny_client: httpx.AsyncClient,
) -> None:
    before = await snapshot(tiny_client)
    document = tiny_scenario()
    document["units"] += [_unit(k) for k in range(2)]  # 6 > 5
    document["exercises"] += NEW["exercises"]  # 5 > 4
    document["horizon"] = {"start": "1995-06-01", "end": "1995-07-31"}  # 61 days > 60
    response = await tiny_client.put("/api/v1/scenario", json=document)
    body = assert_problem(response, 422, "/units")
    by_pointer = {e["pointer"]: e for e in body["errors"]}
    assert set(by_pointer) == {"/units", "/exercises", "/horizon"}
    assert "limit of 5" in by_pointer["/units"]["reason"]
    assert "PFP_MAX_UNITS" in by_pointer["/units"]["reason"]
    assert by_pointer["/units"]["code"] == "too_many"
    assert "60 days" in by_pointer["/horizon"]["reason"]
    assert await snapshot(tiny_client) == before


async def test_a_scenario_at_the_limits_is_accepted(tiny_client: httpx.AsyncClient) -> None:
    document = tiny_scenario()
    document["units"].append(_unit(0))  # 5 units
    document["nations"].append(NEW["nations"][0])
    document["sites"].append(NEW["sites"][0])
    document["exercises"].append(NEW["exercises"][0])
    document["horizon"] = {"start": "1995-06-01", "end": "1995-07-30"}  # 60 days
    response = await tiny_client.put("/api/v1/scenario", json=document)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("collection", ["nations", "units", "sites", "exercises"])
async def test_a_create_above_the_limit_is_422_and_changes_nothing(
    tiny_client: httpx.AsyncClient, collection: str
) -> None:
    first, second = NEW[collection]
    response = await tiny_client.post(f"/api/v1/{collection}", json=first)
    assert response.status_code == 201, response.text  # now at the limit
    before = await snapshot(tiny_client)
    body = assert_problem(await tiny_client.post(f"/api/v1/{collection}", json=second), 422, "")
    assert body["errors"][0]["code"] == "too_many"
    assert f"PFP_MAX_{collection.upper()}" in body["errors"][0]["reason"]
    assert await snapshot(tiny_client) == before


async def test_a_replace_at_the_limit_is_still_accepted(tiny_client: httpx.AsyncClient) -> None:
    assert (await tiny_client.post("/api/v1/units", json=_unit(1))).status_code == 201
    response = await tiny_client.put(
        f"/api/v1/units/{_unit(1)['id']}", json=_unit(1) | {"personnel": 90}
    )
    assert response.status_code == 200, response.text


async def test_a_horizon_above_the_limit_is_422(tiny_client: httpx.AsyncClient) -> None:
    before = await snapshot(tiny_client)
    programme = {"name": "Longer", "horizon": {"start": "1995-06-01", "end": "1995-12-31"}}
    body = assert_problem(
        await tiny_client.put("/api/v1/scenario/meta", json=programme), 422, "/horizon"
    )
    assert "PFP_MAX_HORIZON_DAYS" in body["errors"][0]["reason"]
    assert await snapshot(tiny_client) == before


# --- a solve's time limit, per role ---


async def test_the_time_limit_cap_depends_on_the_role(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory, held: HeldRunner
) -> None:
    body = assert_problem(
        await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 21}), 422, "/time_limit_s"
    )
    assert "20" in body["detail"] and "PFP_SOLVE_TIME_LIMIT_MAX_S" in body["detail"]
    planner = await client_as(Role.planner)
    body = assert_problem(
        await planner.post("/api/v1/calendars", json={"time_limit_s": 6}), 422, "/time_limit_s"
    )
    assert "PFP_PLANNER_SOLVE_TIME_LIMIT_MAX_S" in body["detail"]
    assert body["errors"][0]["reason"] == "must be at most 5"
    assert (await planner.get("/api/v1/calendars")).json()["total"] == 0
    # at the cap, and without a time limit: the default (30 s) is cut to the planner's cap
    allowed = await planner.post("/api/v1/calendars", json={"time_limit_s": 5})
    assert allowed.status_code == 202, allowed.text
    default = await planner.post("/api/v1/calendars")
    assert default.status_code == 202, default.text
    assert default.json()["params"]["time_limit_s"] == 5


# --- solves queued or running per token ---


async def test_a_token_has_at_most_its_quota_of_solves(
    app: FastAPI, tiny_client: httpx.AsyncClient, client_as: ClientFactory, held: HeldRunner
) -> None:
    jobs = []
    for _ in range(2):
        response = await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 7})
        assert response.status_code == 202, response.text
        jobs.append(response.json()["id"])
    refused = await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 7})
    body = assert_problem(refused, 429)
    assert "PFP_SOLVES_PER_TOKEN_MAX" in body["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 7
    assert (await tiny_client.get("/api/v1/calendars")).json()["total"] == 2
    # the quota is the token's: another token may still ask
    other = await client_as(Role.planner)
    assert (await other.post("/api/v1/calendars")).status_code == 202
    # once one of them is over, there is room again
    cancelled = await tiny_client.post(f"/api/v1/calendars/{jobs[0]}/cancel")
    assert cancelled.json()["status"] == "cancelled", cancelled.text
    again = await tiny_client.post("/api/v1/calendars")
    assert again.status_code == 202, again.text
    with app.state.sessionmaker() as session:
        owners = session.scalars(select(CalendarRecord.requested_by)).all()
    assert len(set(owners)) == 2 and None not in owners


async def test_concurrent_solve_requests_cannot_pass_the_quota_together(
    app: FastAPI, tiny_client: httpx.AsyncClient, held: HeldRunner
) -> None:
    statuses: list[int] = []

    async def ask() -> None:
        response = await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 3})
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(ask)
    assert sorted(statuses) == [202, 202, 429, 429, 429, 429]
    assert (await tiny_client.get("/api/v1/calendars")).json()["total"] == 2


# --- writes per token ---


async def test_writes_above_the_rate_limit_get_429_with_retry_after(
    client_as: ClientFactory, anonymous: httpx.AsyncClient
) -> None:
    writer = await client_as(Role.admin)
    for _ in range(12):  # writes count whatever their answer
        assert (await writer.delete("/api/v1/units/nope")).status_code == 404
    refused = await writer.delete("/api/v1/units/nope")
    body = assert_problem(refused, 429)
    assert "PFP_WRITE_RATE_LIMIT" in body["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # the same token under another spelling of the scheme is the same token
    secret = writer.headers["authorization"].split(" ", 1)[1]
    respelled = await writer.delete(
        "/api/v1/units/nope", headers={"Authorization": f"bearer  {secret}"}
    )
    assert respelled.status_code == 429
    # and so is the web pages' session cookie holding it
    cookie = await anonymous.delete(
        "/api/v1/units/nope", headers={"Cookie": f"pfp_session={secret}"}
    )
    assert cookie.status_code == 429
    # reads are not limited; other tokens are not affected; no token is refused before counting
    assert (await writer.get("/api/v1/units")).status_code == 200
    other = await client_as(Role.admin)
    assert (await other.delete("/api/v1/units/nope")).status_code == 404
    for _ in range(13):
        assert (await anonymous.delete("/api/v1/units/nope")).status_code == 401


# --- security headers and CORS ---

BASELINE_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in BASELINE_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    assert "content-security-policy" in response.headers


async def test_every_answer_carries_the_security_headers(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    health = await anonymous.get("/healthz")
    assert_security_headers(health)
    assert health.headers["content-security-policy"].startswith("default-src 'none'")
    assert "cache-control" not in health.headers  # public, no token
    assert "strict-transport-security" not in health.headers  # PFP_HSTS is off
    unauthorized = await anonymous.get("/api/v1/nations")
    assert unauthorized.status_code == 401
    assert_security_headers(unauthorized)
    listing = await client.get("/api/v1/nations")
    assert_security_headers(listing)
    assert listing.headers["cache-control"] == "no-store"
    too_large = await client.put(
        "/api/v1/scenario", content=b"x" * 300_000, headers={"content-type": "application/json"}
    )
    assert too_large.status_code == 413
    assert_security_headers(too_large)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_the_docs_pages_get_a_same_origin_policy_that_lets_them_load(
    anonymous: httpx.AsyncClient, path: str
) -> None:
    page = await anonymous.get(path)
    assert page.status_code == 200
    assert_security_headers(page)
    policy = page.headers["content-security-policy"]
    assert "http" not in policy  # no other host: the UIs' files are the app's (/docs-assets)
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    script_src = directives["script-src"]
    assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src
    inline = re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.DOTALL)
    inline = [script for script in inline if script.strip()]
    hashes = []
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    assert script_src[1:] == hashes  # 'self' and the page's own inline scripts, nothing else
    assert len(inline) == (0 if path == "/redoc" else 1)


@pytest.fixture
async def configured(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with CORS for one origin and HSTS on."""
    application = create_app(
        settings.model_copy(update={"cors_origins": ["https://planner.example"], "hsts": True})
    )
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pfp.test") as c:
            yield application, c


async def test_cors_is_off_unless_configured(anonymous: httpx.AsyncClient) -> None:
    preflight = await anonymous.options(
        "/api/v1/nations",
        headers={"Origin": "https://planner.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    answer = await anonymous.get("/healthz", headers={"Origin": "https://planner.example"})
    assert "access-control-allow-origin" not in answer.headers


async def test_cors_for_the_configured_origins_with_authorization(
    configured: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, c = configured
    preflight = await c.options(
        "/api/v1/nations",
        headers={
            "Origin": "https://planner.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == "https://planner.example"
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    assert_security_headers(preflight)
    stranger = await c.options(
        "/api/v1/nations",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in stranger.headers
    answer = await c.get(
        "/api/v1/nations",
        headers={"Origin": "https://planner.example", **bearer(issue_secret(app, Role.admin))},
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "https://planner.example"
    assert "etag" in answer.headers.get("access-control-expose-headers", "").lower()
    assert answer.headers["strict-transport-security"].startswith("max-age=")


async def test_event_streams_still_stream(
    running: tuple[FastAPI, Any], tiny_client: httpx.AsyncClient, held: HeldRunner
) -> None:
    """The first event of a queued job's stream arrives while the job is still queued: no
    middleware holds the body back."""
    job = (await tiny_client.post("/api/v1/calendars", json={"time_limit_s": 3})).json()
    asgi = running[1]
    authorization = tiny_client.headers["authorization"].encode()
    scope = http_scope(
        "GET", f"/api/v1/calendars/{job['id']}/events", [(b"authorization", authorization)]
    )
    messages: list[dict[str, Any]] = []
    first_event = anyio.Event()
    disconnected = anyio.Event()
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and b"event:" in message.get("body", b""):
            first_event.set()

    async with anyio.create_task_group() as group:
        group.start_soon(asgi, scope, receive, send)
        with anyio.fail_after(10):
            await first_event.wait()
        disconnected.set()
        group.cancel_scope.cancel()
    start = messages[0]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["x-content-type-options"] == "nosniff"
    assert b"event: status" in b"".join(m.get("body", b"") for m in messages[1:])
    status = (await tiny_client.get(f"/api/v1/calendars/{job['id']}")).json()["status"]
    assert status == "queued"  # the stream is open on a job that has not ended
