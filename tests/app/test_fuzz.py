"""The API fuzzed by schemathesis, from its own OpenAPI document, with an admin and a liaison token.

The app runs in a live uvicorn on a free loopback port, started by the test in a thread of this
process (so the lifespan, the solve workers and the event streams run as in production, and the
test can still issue tokens straight into the app's database). The 1995 demo programme is loaded
and two calendars are solved first (one approved, one draft), so that ids exist.

Every operation of /openapi.json gets a bounded number of requests, all with the token under
test: first `PFP_FUZZ_COVERAGE` (default 4) cases spread over schemathesis' coverage phase
(boundary values, a required field missing, a wrong type, a method the path does not allow), then
`PFP_FUZZ_EXAMPLES` (default 4) generated positive cases (valid per the schema) and as many
negative ones (breaking it; only where there is a body or a query to break: schemathesis does not
negate path parameters). A share of the generated ones use real ids in the path (the liaison's
own nation and units, another nation's, the two calendars), and the availability PUTs also go
with `If-Match: *` so that their bodies reach the service. Hypothesis is derandomized and its
example database is off, so a run is reproducible. Each response must pass:

- not_a_server_error: no 5xx;
- status_code_conformance, content_type_conformance, response_headers_conformance and
  response_schema_conformance: the status, content type, headers and body are the documented ones.

What is held back and why:

- After an operation that may write (any method but GET), the demo data is loaded again
  (`load_demo(force=True)`), so an admin's DELETE or PUT of the whole scenario cannot leave the
  operations after it with nothing to find. Calendars and tokens are kept.
- Solves are bounded by the settings, not excluded: `solve_time_limit_max_s` is 1 s here (a larger
  `time_limit_s` is a documented 422), so POST /api/v1/calendars is fuzzed like the rest.
- The event stream (GET .../events) is fuzzed too: a finished job's stream ends by itself, and a
  running one is read for at most `REQUEST_TIMEOUT_S` (schemathesis cuts it short).
- Our own tokens are never offered as `token_id` (a DELETE would revoke the token under test).
- PostgreSQL: the fuzz runs there only with `PFP_FUZZ_POSTGRES=1` (SQLite is enough for the
  suite; `make bench-fuzz BENCH_FUZZ_ARGS=--postgres` runs both).

`bench/bench_fuzz.py` runs the same fuzz with every coverage case and more examples.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete

from app.auth.principal import Role
from app.auth.tokens import issue_token
from app.db import create_db_engine
from app.db.models import Base
from app.main import create_app
from app.openapi import BEARER
from app.scenario.demo import demo_scenario, load_demo
from app.settings import Settings
from tests.app.conftest import assert_problem

EXAMPLES = int(os.environ.get("PFP_FUZZ_EXAMPLES", "4"))
COVERAGE = int(os.environ.get("PFP_FUZZ_COVERAGE", "4"))
REQUEST_TIMEOUT_S = 10.0
POSTGRES_FUZZ_ENV = "PFP_FUZZ_POSTGRES"
LIAISON_NATION = "PL"
OTHER_NATION = "US"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


FUZZ_SETTINGS: dict[str, Any] = {
    "max_body_bytes": 200_000,
    "sqlite_busy_timeout_ms": 30_000,
    "solve_workers_warm": False,  # the worker processes start with the first solve
    # solves kept short, so POST /api/v1/calendars is fuzzed like the rest (above: a 422)
    "solve_time_limit_max_s": 1.0,
    "solve_time_limit_default_s": 0.5,
    "planner_solve_time_limit_max_s": 1.0,
    # the limits are tested in test_limits.py; here they would only refuse most writes
    "solves_per_token_max": 16,
    "write_rate_limit": "off",
}


def fuzz_settings(database_url: str) -> Settings:
    """The settings the fuzz serves with (migrations on: a migrated database is left as is)."""
    options = {k: v for k, v in FUZZ_SETTINGS.items() if k in Settings.model_fields}
    return Settings(database_url=database_url, **options)


def empty_tables(database_url: str) -> None:
    """Every row of every table gone (the schema stays), children first."""
    engine = create_db_engine(database_url)
    try:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(delete(table))
    finally:
        engine.dispose()


@contextmanager
def live_app(settings_: Settings) -> Iterator[tuple[FastAPI, str]]:
    """The app served by uvicorn on a free loopback port, in a thread; yields (app, base URL)."""
    app = create_app(settings_)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="fuzz-uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@dataclass(frozen=True)
class Known:
    """Real ids to put in the path, per path parameter name, and our own token ids."""

    ids: Mapping[str, Sequence[str]]
    own_tokens: frozenset[str]


def issue(app: FastAPI, role: Role, nation: str | None = None) -> tuple[str, str]:
    """A new token (id, secret) straight in the app's database."""
    with app.state.sessionmaker.begin() as session:
        issued = issue_token(session, role=role, name=f"fuzz {role.value}", nation=nation)
        return issued.record.id, issued.secret


def _wait_done(http: requests.Session, base: str, calendar_id: str) -> dict[str, Any]:
    for _ in range(600):
        job = http.get(f"{base}/api/v1/calendars/{calendar_id}", timeout=10).json()
        if job["status"] in ("completed", "cancelled", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"calendar {calendar_id} did not finish: {job}")


def prepare(app: FastAPI, base: str) -> tuple[dict[str, str], Known]:
    """Demo data, the tokens under test, and two calendars (one approved); the known ids."""
    load_demo(app.state.sessionmaker, force=True)
    admin_id, admin = issue(app, Role.admin)
    liaison_id, liaison = issue(app, Role.liaison, LIAISON_NATION)
    spare_id, _ = issue(app, Role.viewer)  # the one token a fuzzed DELETE may revoke
    calendars = []
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {admin}"
        for name in ("fuzz approved", "fuzz draft"):
            answer = http.post(
                f"{base}/api/v1/calendars", json={"time_limit_s": 1, "name": name}, timeout=30
            )
            assert answer.status_code == 202, answer.text
            job = _wait_done(http, base, answer.json()["id"])
            assert job["calendar"] is not None, job
            calendars.append(job["id"])
        approved = http.post(f"{base}/api/v1/calendars/{calendars[0]}/approve", timeout=30)
        assert approved.status_code == 200, approved.text
    scenario = demo_scenario()
    assert scenario is not None
    own_units = [u.id for u in scenario.units if u.nation == LIAISON_NATION][:2]
    other_units = [u.id for u in scenario.units if u.nation == OTHER_NATION][:1]
    ids = {
        "code": [LIAISON_NATION, OTHER_NATION],
        "unit_id": own_units + other_units,
        "site_id": [s.id for s in scenario.sites[:2]],
        "exercise_id": [e.id for e in scenario.exercises[:2]],
        "calendar_id": calendars,
        "other_id": list(reversed(calendars)),
        "token_id": [spare_id],
    }
    tokens = {"admin": admin, "liaison": liaison}
    return tokens, Known(ids=ids, own_tokens=frozenset({admin_id, liaison_id}))


@dataclass
class FuzzReport:
    """What one fuzz run sent and found."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    operation_seconds: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _path_combos(path_names: Sequence[str], known: Known) -> list[dict[str, str]]:
    """A few assignments of real ids to the operation's path parameters."""
    pools = [known.ids.get(name, ()) for name in path_names]
    if not path_names or not all(pools):
        return []
    width = max(len(pool) for pool in pools)
    return [
        {name: pool[i % len(pool)] for name, pool in zip(path_names, pools, strict=True)}
        for i in range(width)
    ]


def operation_strategy(
    operation: Any, mode: GenerationMode, auth: dict[str, str], known: Known
) -> st.SearchStrategy:
    """Generated cases for `operation`; some with real path ids, some with `If-Match: *`."""
    path_names = [p.name for p in operation.path_parameters]
    header_names = {p.name.lower() for p in operation.headers}
    header_sets = [auth]
    if "if-match" in header_names:
        header_sets.append({**auth, "if-match": "*"})
    strategies = [operation.as_strategy(mode, headers=auth)]
    combos = _path_combos(path_names, known)
    for params, headers in itertools.product(combos, header_sets):
        strategies.append(operation.as_strategy(mode, headers=headers, path_parameters=params))
    return st.one_of(strategies)


def modes(operation: Any) -> list[GenerationMode]:
    """Positive cases, and negative ones where there is a body or a query to break.

    Schemathesis does not negate path parameters (nor our string headers), so without a body or
    a query there is no negative case, and Hypothesis would spend its whole budget finding that.
    """
    if operation.body or operation.query:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def load_schema(app: FastAPI, base: str) -> Any:
    config = SchemathesisConfig()
    schema = schemathesis.openapi.from_dict(app.openapi(), config=config)
    schema.config.update(base_url=base, request_timeout=REQUEST_TIMEOUT_S)
    schema.config.generation.update(with_security_parameters=False, database="none")
    return schema


def fuzz(
    app: FastAPI,
    base: str,
    secret: str,
    known: Known,
    *,
    examples: int = EXAMPLES,
    coverage: int | None = COVERAGE,
) -> FuzzReport:
    """Every operation: its first `coverage` cases of schemathesis' coverage phase (all with
    None), then `examples` positive and `examples` negative generated cases; failures collected."""
    schema = load_schema(app, base)
    auth = {"Authorization": f"Bearer {secret}"}
    report = FuzzReport()
    started = time.perf_counter()
    with requests.Session() as http:
        for result in schema.get_all_operations():
            operation = result.ok()
            label = f"{operation.method.upper()} {operation.path}"
            began = time.perf_counter()
            for case in coverage_cases(schema, operation, coverage):
                send_and_check(case, http, label, report, known, auth)
            for mode in modes(operation) if examples > 0 else ():
                strategy = operation_strategy(operation, mode, auth, known)
                _run(strategy, http, label, report, known, examples)
            if operation.method.lower() != "get":
                load_demo(app.state.sessionmaker, force=True)
            report.operation_seconds[label] += time.perf_counter() - began
    report.seconds = time.perf_counter() - started
    return report


def coverage_cases(schema: Any, operation: Any, count: int | None) -> list[Any]:
    """`count` cases spread evenly over the operation's coverage phase (every one with None):
    boundary values, each required field missing, wrong types, methods it does not allow."""
    cases = list(
        schema.iter_coverage_cases(
            operation,
            generation_modes=list(GenerationMode),
            generation_config=schema.config.generation,
        )
    )
    if count is None or count >= len(cases):
        return cases
    if count <= 0:
        return []
    step = len(cases) / count
    return [cases[int(i * step)] for i in range(count)]


def send_and_check(
    case: Any,
    http: requests.Session,
    label: str,
    report: FuzzReport,
    known: Known,
    auth: dict[str, str] | None = None,
) -> None:
    """Send `case` (with `auth` added) and run the checks on the answer; failures recorded."""
    if str((case.path_parameters or {}).get("token_id")) in known.own_tokens:
        return
    response = case.call(session=http, headers=auth, timeout=REQUEST_TIMEOUT_S)
    report.requests[label] += 1
    report.statuses[response.status_code] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=auth)
    except (Failure, FailureGroup) as found:
        failures = found.exceptions if isinstance(found, FailureGroup) else [found]
        for failure in failures:
            report.failures.append(
                f"{label} -> {case.method} {response.status_code}: {failure.title}\n"
                f"{failure.message}\n{case.as_curl_command()}"
            )


def _run(
    strategy: st.SearchStrategy,
    http: requests.Session,
    label: str,
    report: FuzzReport,
    known: Known,
    examples: int,
) -> None:
    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def one(case: Any) -> None:
        send_and_check(case, http, label, report, known)

    with contextlib.suppress(Unsatisfiable):  # e.g. a negative case of a query of booleans
        one()


@pytest.fixture(scope="module")
def served(database_url: str) -> Iterator[tuple[FastAPI, str, dict[str, str], Known]]:
    """One live server for both runs (admin, then liaison), on the demo programme."""
    if database_url.startswith("postgresql") and not os.environ.get(POSTGRES_FUZZ_ENV):
        pytest.skip(f"the fuzz runs on PostgreSQL with {POSTGRES_FUZZ_ENV}=1 (SQLite is enough)")
    empty_tables(database_url)
    with live_app(fuzz_settings(database_url)) as (app, base):
        tokens, known = prepare(app, base)
        yield app, base, tokens, known
    empty_tables(database_url)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["admin", "liaison"])
def test_fuzz(served: tuple[FastAPI, str, dict[str, str], Known], kind: str) -> None:
    app, base, tokens, known = served
    report = fuzz(app, base, tokens[kind], known)
    print(
        f"fuzz ({kind}): {report.total} requests in {report.seconds:.1f} s, "
        f"{report.server_errors} server errors, {len(report.failures)} failures"
    )
    assert report.total > 0
    assert not report.failures, "\n\n".join(report.failures[:20])


@pytest.mark.slow
@pytest.mark.parametrize("authorization", [None, "Bearer pfp_not-a-token", "Basic YTpi"])
def test_without_a_valid_token_every_secured_operation_answers_the_documented_401(
    served: tuple[FastAPI, str, dict[str, str], Known], authorization: str | None
) -> None:
    """One valid request per operation, with no token, an unknown one, or another scheme."""
    app, base, _, known = served
    schema = load_schema(app, base)
    report = FuzzReport()
    auth = {"Authorization": authorization} if authorization else None
    with requests.Session() as http:
        for result in schema.get_all_operations():
            operation = result.ok()
            label = f"{operation.method.upper()} {operation.path}"
            for case in coverage_cases(schema, operation, 1):
                send_and_check(case, http, label, report, known, auth)
    assert not report.failures, "\n\n".join(report.failures[:20])
    public = {"GET /healthz", "GET /readyz"}
    assert set(report.requests) > public
    assert report.statuses[401] == sum(report.requests.values()) - len(public)


# --- what the fuzz relies on: the document lists every status, and the token --------------------


@pytest.mark.anyio
async def test_the_openapi_declares_the_bearer_scheme_and_the_secured_operations(
    anonymous: httpx.AsyncClient,
) -> None:
    spec = (await anonymous.get("/openapi.json")).json()
    scheme = spec["components"]["securitySchemes"][BEARER]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for path in ("/healthz", "/readyz"):
        operation = spec["paths"][path]["get"]
        assert "security" not in operation and "401" not in operation["responses"]
    secured = [
        (method, path, operation)
        for path, operations in spec["paths"].items()
        if path.startswith("/api/")
        for method, operation in operations.items()
    ]
    assert len(secured) > 40
    for method, path, operation in secured:
        assert operation["security"] == [{BEARER: []}], (method, path)
        responses = operation["responses"]
        assert "4XX" not in responses, (method, path)
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                assert list(answer["content"]) == ["application/problem+json"], (path, status)
        if method != "get":
            assert responses["429"]["headers"]["Retry-After"]["required"] is True


@pytest.mark.anyio
async def test_the_openapi_lists_the_statuses_each_operation_can_answer(
    anonymous: httpx.AsyncClient,
) -> None:
    paths = (await anonymous.get("/openapi.json")).json()["paths"]

    def statuses(method: str, path: str) -> set[str]:
        return set(paths[path][method]["responses"])

    body = {"400", "413", "415", "422"}
    assert body | {"201", "401", "403", "404", "409", "429", "503"} <= statuses(
        "post", "/api/v1/units"
    )  # 404: a liaison officer naming another nation's unit
    assert {"412", "428"} | body <= statuses("put", "/api/v1/nations/{code}/availability")
    assert {"404", "422"} <= statuses("get", "/api/v1/nations/{code}")
    assert "403" not in statuses("get", "/api/v1/auth/me")  # any token may ask who it is
    assert "404" in statuses("get", "/api/v1/programme")
    assert "409" in statuses("get", "/api/v1/calendars/{calendar_id}/diff/{other_id}")


# --- bugs the fuzz found (regressions) ---------------------------------------------------------


@pytest.mark.anyio
async def test_stored_moments_come_back_with_their_utc_offset(client: httpx.AsyncClient) -> None:
    """SQLite keeps no offset: `created_at` came back naive, not an RFC 3339 date-time."""
    token = (await client.get("/api/v1/tokens")).json()["items"][0]
    created = dt.datetime.fromisoformat(token["created_at"])
    assert created.utcoffset() == dt.timedelta(0), token
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)


@pytest.mark.anyio
async def test_a_solve_request_that_is_not_text_is_a_422_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    """`json.loads` on bytes that are not UTF-8 raised UnicodeDecodeError, which was not caught."""
    response = await client.post(
        "/api/v1/calendars",
        content=b'"G\x08\n\xff\xfe\x08',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 422, pointer="")
    assert (await client.get("/api/v1/calendars")).json()["total"] == 0
