"""Fixtures for the service's tests: a migrated database per backend, an HTTP client per test.

`database_url` is parametrised over SQLite (a temp file, always) and PostgreSQL (a database
made for this session from PFP_TEST_POSTGRES_URL, dropped at the end; skipped when unset).
Each test starts from empty tables; `client` drives the real app (lifespan included) over
httpx's ASGI transport, and `tiny_client` has the spec's tiny scenario loaded.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url

from app.auth.principal import Role
from app.auth.tokens import issue_token
from app.db import create_db_engine
from app.db.migrate import upgrade
from app.db.models import ApiTokenRecord, AuditEventRecord, CalendarRecord
from app.main import create_app
from app.scenario.repository import TABLES_CHILD_FIRST
from app.settings import Settings

DATA = Path(__file__).parent.parent / "data"
POSTGRES_ENV = "PFP_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def tiny_scenario() -> dict[str, Any]:
    return json.loads((DATA / "tiny.scenario.json").read_text())


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url


def create_postgres_database(base_url: str) -> tuple[str, Engine]:
    """A new, uniquely named database next to `base_url`'s; returns its URL and an admin engine."""
    base = make_url(base_url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"pfp_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), admin


def drop_postgres_database(admin: Engine, url: str) -> None:
    name = make_url(url).database
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated to head, for the whole session, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'pfp.db'}"
        admin = None
    else:
        url, admin = create_postgres_database(request.getfixturevalue("postgres_base_url"))
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        yield url
    finally:
        engine.dispose()
        if admin is not None:
            drop_postgres_database(admin, url)


@pytest.fixture
def empty_database(database_url: str) -> str:
    """The session's database with every table emptied: cheap per-test isolation."""
    engine = create_db_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(delete(CalendarRecord))
            connection.execute(delete(AuditEventRecord))
            connection.execute(delete(ApiTokenRecord))
            for table in TABLES_CHILD_FIRST:
                connection.execute(delete(table))
    finally:
        engine.dispose()
    return database_url


@pytest.fixture
def settings(empty_database: str) -> Settings:
    return Settings(
        database_url=empty_database,
        migrate_on_startup=False,
        max_body_bytes=200_000,
        sqlite_busy_timeout_ms=30_000,  # a loaded CI machine must not turn a wait into a 503
        solve_workers_warm=False,  # worker processes start with the first solve of a test
        # the limits are tested in test_limits.py; elsewhere one token starts many solves
        solves_per_token_max=16,
        write_rate_limit="off",
    )


@pytest.fixture
async def running(settings: Settings) -> AsyncIterator[tuple[FastAPI, Any]]:
    """The real app, its lifespan started, and the ASGI callable that serves it."""
    application = create_app(settings)
    async with LifespanManager(application) as manager:
        yield application, manager.app


@pytest.fixture
def app(running: tuple[FastAPI, Any]) -> FastAPI:
    """The running app (its `state` holds the engine, sessionmaker, job runner...)."""
    return running[0]


def issue_secret(app: FastAPI, role: Role | str, nation: str | None = None) -> str:
    """A new token's secret, issued straight into the app's database."""
    with app.state.sessionmaker.begin() as session:
        return issue_token(session, role=Role(role), name=f"test {role}", nation=nation).secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client_as(running: tuple[FastAPI, Any]) -> AsyncIterator[ClientFactory]:
    """`await client_as("liaison", "PL")`: a client holding a new token of that role."""
    app, asgi = running
    async with AsyncExitStack() as stack:

        async def make(role: Role | str, nation: str | None = None) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=asgi)
            client = httpx.AsyncClient(
                transport=transport,
                base_url="http://pfp.test",
                headers=bearer(issue_secret(app, role, nation)),
            )
            return await stack.enter_async_context(client)

        yield make


@pytest.fixture
async def client(client_as: ClientFactory) -> httpx.AsyncClient:
    """A client holding an admin token: the tests of what the service does use this one."""
    return await client_as(Role.admin)


@pytest.fixture
async def anonymous(running: tuple[FastAPI, Any]) -> AsyncIterator[httpx.AsyncClient]:
    """A client without a token."""
    transport = httpx.ASGITransport(app=running[1])
    async with httpx.AsyncClient(transport=transport, base_url="http://pfp.test") as c:
        yield c


@pytest.fixture
async def tiny_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    response = await client.put("/api/v1/scenario", json=tiny_scenario())
    assert response.status_code == 200, response.text
    return client


async def snapshot(client: httpx.AsyncClient) -> tuple[int, str]:
    """The whole stored programme (status, body): compare before and after a refused write."""
    response = await client.get("/api/v1/scenario")
    return response.status_code, response.text


def assert_problem(response: httpx.Response, status: int, pointer: str | None = None) -> dict:
    """The response is an RFC 9457 problem with `status`, naming `pointer` among its errors."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "errors"} <= body.keys()
    if pointer is not None:
        pointers = [e.get("pointer") for e in body["errors"]]
        assert pointer in pointers, body
    return body
