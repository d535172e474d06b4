"""Fixtures of the web pages' tests: the service fixtures of tests/app, and a live server with
Chromium for the browser tests (tests/web/browser.py)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.auth.principal import Role
from app.auth.tokens import issue_token
from app.db import create_db_engine, make_sessionmaker
from app.db.migrate import upgrade
from tests.app.conftest import (  # noqa: F401 - fixtures, shared with the service's tests
    anonymous,
    anyio_backend,
    app,
    client,
    client_as,
    database_url,
    empty_database,
    postgres_base_url,
    running,
    settings,
    tiny_client,
    tiny_scenario,
)

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
START_TIMEOUT_S = 60.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps its event loop running in the main
    thread from the first browser test to the end of the session, and the async tests (anyio)
    cannot start a loop of their own while it does."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    """A uvicorn serving the app on a free port, over a SQLite file, with one token per role."""

    url: str
    secrets: dict[str, str]  # role (or "liaison:PL") -> token secret
    log: Path

    def api(self, who: str = "admin") -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.secrets[who]}"},
            timeout=60.0,
        )


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Wait for the server's health check; the server says when it is up, so this is short."""
    with httpx.Client(timeout=1.0) as http:
        deadline = START_TIMEOUT_S
        step = 0.1
        while deadline > 0:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
            try:
                if http.get(url + "/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            process_wait(process, step)
            deadline -= step
    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")


def process_wait(process: subprocess.Popen[bytes], seconds: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)


@contextlib.contextmanager
def serve(folder: Path, scenario: dict[str, Any]) -> Iterator[LiveServer]:
    """The real service in its own process (as `serve` runs it) over a SQLite file in
    `folder`, tokens issued into it, `scenario` loaded; stopped at the end."""
    url = f"sqlite:///{folder / 'pfp.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    secrets: dict[str, str] = {}
    with make_sessionmaker(engine).begin() as session:
        for role, nation in [
            (Role.admin, None),
            (Role.planner, None),
            (Role.approver, None),
            (Role.viewer, None),
            (Role.liaison, "PL"),
            (Role.liaison, "RO"),
        ]:
            key = role.value if nation is None else f"liaison:{nation}"
            issued = issue_token(session, role=role, name=f"web test {key}", nation=nation)
            secrets[key] = issued.secret
    engine.dispose()
    port = free_port()
    log = folder / "server.log"
    env = {
        **os.environ,
        "PFP_DATABASE_URL": url,
        "PFP_SOLVE_WORKERS_WARM": "false",
        "PFP_LOG_LEVEL": "warning",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url=f"http://127.0.0.1:{port}", secrets=secrets, log=log)
    try:
        _wait_until_up(process, server.url, log)
        with server.api() as api:
            response = api.put("/api/v1/scenario", json=scenario)
            assert response.status_code == 200, response.text
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service with the spec's tiny scenario, for the browser tests of this session."""
    require_chromium()
    with serve(tmp_path_factory.mktemp("live"), tiny_scenario()) as server:
        yield server


def wait_for_job(server: LiveServer, calendar_id: str) -> dict[str, Any]:
    """Follow the job's event stream until its `done` event; returns that event's data."""
    with (
        server.api() as api,
        api.stream("GET", f"/api/v1/calendars/{calendar_id}/events") as stream,
    ):
        event = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "done":
                return json.loads(line.removeprefix("data: "))
    raise AssertionError(f"the event stream of {calendar_id} ended without `done`")


def solve(server: LiveServer, **body: Any) -> dict[str, Any]:
    """Start a solve (as the planner) and wait for it to end."""
    with server.api("planner") as api:
        response = api.post("/api/v1/calendars", json={"time_limit_s": 5, **body})
        assert response.status_code == 202, response.text
        calendar_id = response.json()["id"]
    done = wait_for_job(server, calendar_id)
    assert done["status"] == "completed", done
    return done


def published(server: LiveServer) -> dict[str, Any]:
    """The published programme as it is now (other tests may have approved another)."""
    with server.api() as api:
        response = api.get("/api/v1/programme")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(autouse=True)
def page_problems(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """A browser test fails on any uncaught script error or Content-Security-Policy refusal."""
    problems: list[str] = []
    if "page" not in request.fixturenames:
        yield problems
        return
    page = request.getfixturevalue("page")
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield problems
    assert not problems


@pytest.fixture(scope="session")
def approved_calendar(live_server: LiveServer) -> dict[str, Any]:
    """A calendar of the tiny scenario, solved and approved: the published programme."""
    done = solve(live_server, name="published for the web tests")
    with live_server.api("approver") as api:
        response = api.post(f"/api/v1/calendars/{done['id']}/approve")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, headless (no browser download: `playwright install` is never run)."""
    require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--no-sandbox", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """The live server (replaces pytest-playwright's own `base_url`, from --base-url)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], live_server: LiveServer
) -> dict[str, Any]:
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1366, "height": 768},  # a laptop screen
    }


def screenshot(page: Any, name: str) -> None:
    """Keep a picture of the page as a test artifact (test-artifacts/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, server: LiveServer, who: str, next_path: str = "/") -> None:
    """Sign in through the form, as a person would: paste the token, press the button."""
    page.goto(f"{server.url}/signin?next={next_path}")
    page.get_by_label("Token").fill(server.secrets[who])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")
