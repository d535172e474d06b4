"""Bearer tokens: 401 without a valid one, revocation takes effect at once, secrets never stored."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.db.models import ApiTokenRecord
from tests.app.conftest import ClientFactory, assert_problem, bearer

pytestmark = pytest.mark.anyio


async def test_no_token_is_a_401_with_a_bearer_challenge(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/api/v1/nations")
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["errors"][0]["parameter"] == "authorization"


@pytest.mark.parametrize(
    "header",
    ["Bearer pfp_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "pfp_x", "Bearer " + "x" * 500],
)
async def test_a_bad_token_is_a_401(anonymous: httpx.AsyncClient, header: str) -> None:
    response = await anonymous.get("/api/v1/nations", headers={"Authorization": header})
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


async def test_health_and_docs_need_no_token(anonymous: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        assert (await anonymous.get(path)).status_code == 200, path


async def test_a_created_token_works_and_its_revocation_is_immediate(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, app: FastAPI
) -> None:
    created = await client.post(
        "/api/v1/tokens", json={"role": "liaison", "nation": "PL", "name": "Maj. Nowak"}
    )
    assert created.status_code == 201, created.text
    token = created.json()
    me = await anonymous.get("/api/v1/auth/me", headers=bearer(token["secret"]))
    assert me.json() == {
        "token_id": token["id"],
        "name": "Maj. Nowak",
        "role": "liaison",
        "nation": "PL",
    }
    with app.state.sessionmaker() as session:
        stored = session.scalars(select(ApiTokenRecord)).all()
    assert all(token["secret"] not in repr(vars(r)) for r in stored)  # only the hash is kept

    listed = (await client.get("/api/v1/tokens")).json()["items"]
    assert token["id"] in [t["id"] for t in listed]
    assert all("secret" not in t for t in listed)

    assert (await client.delete(f"/api/v1/tokens/{token['id']}")).status_code == 204
    assert_problem(await anonymous.get("/api/v1/auth/me", headers=bearer(token["secret"])), 401)
    assert_problem(await client.delete("/api/v1/tokens/tok_nosuchtoken"), 404)


async def test_a_liaison_token_needs_a_nation(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/api/v1/tokens", json={"role": "liaison", "name": "x"}), 422)
    assert_problem(
        await client.post("/api/v1/tokens", json={"role": "viewer", "name": "x", "nation": "PL"}),
        422,
    )


async def test_a_role_without_the_right_gets_403(client_as: ClientFactory) -> None:
    viewer = await client_as("viewer")
    body = assert_problem(await viewer.get("/api/v1/tokens"), 403)
    assert "viewer" in body["detail"]
    planner = await client_as("planner")
    assert_problem(await planner.post("/api/v1/tokens", json={"role": "admin", "name": "x"}), 403)
