"""Liveness, readiness, and what unknown routes answer."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.main import create_app
from app.settings import Settings
from tests.app.conftest import assert_problem

pytestmark = pytest.mark.anyio


async def test_healthz_says_alive(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_readyz_answers_503_problem_when_the_database_is_gone(tmp_path) -> None:
    # a directory where the database file should be: SQLite cannot open it
    (tmp_path / "db").mkdir()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db'}", migrate_on_startup=False)
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pfp.test") as c:
            assert (await c.get("/healthz")).status_code == 200
            assert_problem(await c.get("/readyz"), 503)


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/api/v1/nowhere"), 404)
    assert "/api/v1/nowhere" in body["detail"]


async def test_wrong_method_is_a_405_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.patch("/api/v1/nations"), 405)


async def test_openapi_documents_the_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in ("/api/v1/nations", "/api/v1/units/{unit_id}", "/api/v1/scenario"):
        assert path in spec["paths"]
    assert (await client.get("/docs")).status_code == 200
    post = spec["paths"]["/api/v1/units"]["post"]["responses"]
    assert "4XX" not in post  # every status is listed (app/openapi.py)
    for status in ("400", "401", "403", "409", "413", "415", "422", "429", "503"):
        assert post[status]["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert {"type", "title", "status", "detail"} <= set(
        spec["components"]["schemas"]["Problem"]["required"]
    )


async def test_a_streamed_body_above_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks():
        for _ in range(30):
            yield b"x" * 10_000  # 300 kB against the tests' 200 kB limit, no Content-Length

    response = await client.put(
        "/api/v1/scenario", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


async def test_a_streamed_body_below_the_limit_is_read(client: httpx.AsyncClient) -> None:
    async def chunks():
        yield b'{"format": "pfp-scenario/1", "name": "Streamed", '
        yield b'"horizon": {"start": "1995-01-01", "end": "1995-12-31"}}'

    response = await client.put(
        "/api/v1/scenario", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Streamed"
