"""A table of bad inputs across the API: each gets its 4xx problem+json naming the field, and
changes nothing (the whole programme is compared before and after)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.app.conftest import assert_problem, snapshot, tiny_scenario

pytestmark = pytest.mark.anyio


def programme() -> dict[str, Any]:
    """The spec's tiny programme, with CH95 pinned to a site and a unit and after CB95."""
    document = tiny_scenario()
    ch95 = document["exercises"][2]
    ch95["pinned"] = {"site": "PL-DRAWSKO", "units": ["NL-MED-1"]}
    ch95["after"] = [{"exercise": "CB95", "gap_days": 0}]
    return document


def _resource(collection: str, index: int, **change: Any) -> dict[str, Any]:
    item = copy.deepcopy(programme()[collection][index])
    item.update(change)
    return item


NATION = {"code": "HU", "name": "Hungary"}
UNIT = {"id": "HU-INF-1", "nation": "PL", "capability": "infantry_company", "personnel": 100}
SITE = {"id": "RO-CINCU", "name": "Cincu", "host": "RO"}
EXERCISE = {
    "id": "CE95",
    "name": "Cooperative Endeavour 95",
    "type": "peacekeeping",
    "duration_days": 5,
    "requirements": [{"capability": "infantry_company", "units": 1}],
}
JUNE = {"start": "1995-06-01", "end": "1995-06-30"}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    status: int
    pointer: str | None = None  # expected among errors[].pointer
    parameter: str | None = None  # expected among errors[].parameter
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _with(base: dict[str, Any], **change: Any) -> dict[str, Any]:
    return {**base, **change}


CASES = [
    # --- nations
    Case("nation-code-lowercase", "POST", "/nations", 422, "/code", json=_with(NATION, code="hu")),
    Case("nation-code-not-iso", "POST", "/nations", 422, "/code", json=_with(NATION, code="XX")),
    Case("nation-name-missing", "POST", "/nations", 422, "/name", json={"code": "HU"}),
    Case("nation-name-empty", "POST", "/nations", 422, "/name", json=_with(NATION, name="")),
    Case("nation-role-unknown", "POST", "/nations", 422, "/role", json=_with(NATION, role="foe")),
    Case(
        "nation-max-exercises-negative",
        "POST",
        "/nations",
        422,
        "/max_exercises",
        json=_with(NATION, max_exercises=-1),
    ),
    Case(
        "nation-budget-not-a-number",
        "POST",
        "/nations",
        422,
        "/budget_person_days",
        json=_with(NATION, budget_person_days="lots"),
    ),
    Case(
        "nation-blackout-reversed",
        "POST",
        "/nations",
        422,
        "/blackouts/0",
        json=_with(NATION, blackouts=[{"start": "1995-06-10", "end": "1995-06-01"}]),
    ),
    Case(
        "nation-availability-outside-horizon",
        "POST",
        "/nations",
        422,
        "/availability/0",
        json=_with(NATION, availability=[{"start": "1995-05-20", "end": "1995-06-10"}]),
    ),
    Case("nation-duplicate-code", "POST", "/nations", 409, "/code", json=_with(NATION, code="PL")),
    Case("nation-unknown-field", "POST", "/nations", 422, "/colour", json=_with(NATION, colour=1)),
    Case(
        "nation-code-differs-from-path",
        "PUT",
        "/nations/PL",
        422,
        "/code",
        json=_resource("nations", 1),
    ),
    Case("nation-delete-with-units", "DELETE", "/nations/PL", 409, ""),
    Case("nation-unknown", "GET", "/nations/ZZ", 404),
    Case("nation-body-is-a-list", "POST", "/nations", 422, "", json=[NATION]),
    # --- units
    Case("unit-personnel-zero", "POST", "/units", 422, "/personnel", json=_with(UNIT, personnel=0)),
    Case("unit-unknown-nation", "POST", "/units", 422, "/nation", json=_with(UNIT, nation="DE")),
    Case(
        "unit-capability-uppercase",
        "POST",
        "/units",
        422,
        "/capability",
        json=_with(UNIT, capability="Infantry"),
    ),
    Case(
        "unit-rest-days-negative",
        "POST",
        "/units",
        422,
        "/rest_days",
        json=_with(UNIT, rest_days=-2),
    ),
    Case(
        "unit-home-latitude",
        "POST",
        "/units",
        422,
        "/home/lat",
        json=_with(UNIT, home={"lat": 95, "lon": 10}),
    ),
    Case(
        "unit-window-bad-date",
        "POST",
        "/units",
        422,
        "/availability/0/start",
        json=_with(UNIT, availability=[{"start": "1995-13-01", "end": "1995-06-30"}]),
    ),
    Case("unit-duplicate-id", "POST", "/units", 409, "/id", json=_with(UNIT, id="PL-INF-1")),
    Case("unit-empty-id", "POST", "/units", 422, "/id", json=_with(UNIT, id="")),
    Case(
        "unit-change-breaks-a-pin",
        "PUT",
        "/units/NL-MED-1",
        409,
        "",
        json=_resource("units", 3, capability="sar_helicopter"),
    ),
    Case("unit-delete-pinned", "DELETE", "/units/NL-MED-1", 409, ""),
    Case("units-limit-zero", "GET", "/units?limit=0", 422, parameter="limit"),
    Case("units-limit-too-large", "GET", "/units?limit=100000", 422, parameter="limit"),
    Case("units-offset-negative", "GET", "/units?offset=-1", 422, parameter="offset"),
    Case(
        "unit-personnel-beyond-storage",
        "POST",
        "/units",
        422,
        "/personnel",
        json=_with(UNIT, personnel=10**12),
    ),
    Case("unit-id-with-nul", "POST", "/units", 422, "/id", json=_with(UNIT, id="HU\u0000")),
    Case(
        "units-offset-beyond-storage",
        "GET",
        "/units?offset=10000000000000",
        422,
        parameter="offset",
    ),
    # --- sites
    Case("site-unknown-host", "POST", "/sites", 422, "/host", json=_with(SITE, host="DE")),
    Case("site-kind-unknown", "POST", "/sites", 422, "/kind", json=_with(SITE, kind="space")),
    Case(
        "site-supports-unknown-type",
        "POST",
        "/sites",
        422,
        "/supports/0",
        json=_with(SITE, supports=["war"]),
    ),
    Case(
        "site-capacity-zero",
        "POST",
        "/sites",
        422,
        "/capacity_personnel",
        json=_with(SITE, capacity_personnel=0),
    ),
    Case(
        "site-concurrent-zero", "POST", "/sites", 422, "/concurrent", json=_with(SITE, concurrent=0)
    ),
    Case(
        "site-longitude",
        "POST",
        "/sites",
        422,
        "/location/lon",
        json=_with(SITE, location={"lat": 1, "lon": 200}),
    ),
    Case("site-delete-pinned", "DELETE", "/sites/PL-DRAWSKO", 409, ""),
    Case("sites-host-filter-malformed", "GET", "/sites?host=poland", 422, parameter="host"),
    # --- exercises
    Case(
        "exercise-type-unknown",
        "POST",
        "/exercises",
        422,
        "/type",
        json=_with(EXERCISE, type="war"),
    ),
    Case(
        "exercise-no-requirements",
        "POST",
        "/exercises",
        422,
        "/requirements",
        json=_with(EXERCISE, requirements=[]),
    ),
    Case(
        "exercise-capability-twice",
        "POST",
        "/exercises",
        422,
        "/requirements/1/capability",
        json=_with(EXERCISE, requirements=[{"capability": "medical_team", "units": 1}] * 2),
    ),
    Case(
        "exercise-max-units-below-units",
        "POST",
        "/exercises",
        422,
        "/requirements/0",
        json=_with(
            EXERCISE, requirements=[{"capability": "medical_team", "units": 3, "max_units": 2}]
        ),
    ),
    Case(
        "exercise-duration-exceeds-horizon",
        "POST",
        "/exercises",
        422,
        "/duration_days",
        json=_with(EXERCISE, duration_days=40),
    ),
    Case(
        "exercise-duration-exceeds-window",
        "POST",
        "/exercises",
        422,
        "/duration_days",
        json=_with(EXERCISE, window={"start": "1995-06-01", "end": "1995-06-03"}),
    ),
    Case(
        "exercise-window-outside-horizon",
        "POST",
        "/exercises",
        422,
        "/window",
        json=_with(EXERCISE, window={"start": "1995-06-20", "end": "1995-07-10"}),
    ),
    Case(
        "exercise-unknown-site",
        "POST",
        "/exercises",
        422,
        "/sites/0",
        json=_with(EXERCISE, sites=["XX"]),
    ),
    Case(
        "exercise-after-unknown",
        "POST",
        "/exercises",
        422,
        "/after/0/exercise",
        json=_with(EXERCISE, after=[{"exercise": "NOPE"}]),
    ),
    Case(
        "exercise-after-itself",
        "POST",
        "/exercises",
        422,
        "/after/0/exercise",
        json=_with(EXERCISE, after=[{"exercise": "CE95"}]),
    ),
    Case(
        "exercise-after-cycle",
        "PUT",
        "/exercises/CB95",
        422,
        "/after",
        json=_resource("exercises", 0, after=[{"exercise": "CH95"}]),
    ),
    Case(
        "exercise-pin-ineligible-site",
        "POST",
        "/exercises",
        422,
        "/pinned/site",
        json=_with(EXERCISE, pinned={"site": "SE-GOTLAND"}),
    ),
    Case(
        "exercise-pin-start-outside-window",
        "POST",
        "/exercises",
        422,
        "/pinned/start",
        json=_with(EXERCISE, pinned={"start": "1995-06-28"}),
    ),
    Case(
        "exercise-pin-unknown-unit",
        "POST",
        "/exercises",
        422,
        "/pinned/units/0",
        json=_with(EXERCISE, pinned={"units": ["XX-1"]}),
    ),
    Case(
        "exercise-pin-unit-of-another-capability",
        "POST",
        "/exercises",
        422,
        "/pinned/units/0",
        json=_with(EXERCISE, pinned={"units": ["SE-SAR-1"]}),
    ),
    Case(
        "exercise-priority-101",
        "POST",
        "/exercises",
        422,
        "/priority",
        json=_with(EXERCISE, priority=101),
    ),
    Case(
        "exercise-month-13",
        "POST",
        "/exercises",
        422,
        "/preferred_months/0",
        json=_with(EXERCISE, preferred_months=[13]),
    ),
    Case(
        "exercise-min-nations-zero",
        "POST",
        "/exercises",
        422,
        "/min_nations",
        json=_with(EXERCISE, min_nations=0),
    ),
    Case("exercise-delete-with-successor", "DELETE", "/exercises/CB95", 409, ""),
    Case("exercises-type-filter-unknown", "GET", "/exercises?type=war", 422, parameter="type"),
    # --- the transport
    Case(
        "malformed-json",
        "POST",
        "/units",
        400,
        "",
        content=b'{"id": "X",',
        headers={"content-type": "application/json"},
    ),
    Case(
        "json-nested-too-deep",
        "POST",
        "/units",
        400,
        "",
        content=b"[" * 20_000 + b"]" * 20_000,
        headers={"content-type": "application/json"},
    ),
    Case(
        "wrong-content-type",
        "POST",
        "/units",
        415,
        parameter="content-type",
        content=b"id=X",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    Case(
        "body-too-large",
        "PUT",
        "/scenario",
        413,
        content=b'{"pad": "' + b"x" * 300_000 + b'"}',
        headers={"content-type": "application/json"},
    ),
    # --- the whole scenario and the programme
    Case(
        "scenario-wrong-format",
        "PUT",
        "/scenario",
        422,
        "/format",
        json=_with(programme(), format="pfp-scenario/2"),
    ),
    Case(
        "scenario-unknown-nation",
        "PUT",
        "/scenario",
        422,
        "/units/0/nation",
        json=_with(programme(), units=[_resource("units", 0, nation="DE")]),
    ),
    Case("scenario-not-an-object", "PUT", "/scenario", 422, "", json=[1, 2]),
    Case(
        "scenario-malformed-json",
        "PUT",
        "/scenario",
        422,
        "",
        content=b"{nope",
        headers={"content-type": "application/json"},
    ),
    Case(
        "programme-horizon-leaves-data-out",
        "PUT",
        "/scenario/meta",
        409,
        "",
        json={"name": "x", "horizon": {"start": "1995-06-01", "end": "1995-06-05"}},
    ),
    Case(
        "programme-horizon-reversed",
        "PUT",
        "/scenario/meta",
        422,
        "/horizon",
        json={"name": "x", "horizon": {"start": "1995-06-30", "end": "1995-06-01"}},
    ),
    Case(
        "scenario-number-beyond-storage",
        "PUT",
        "/scenario",
        422,
        "/nations/0/budget_person_days",
        json=_with(
            programme(),
            nations=[
                _resource("nations", 0, budget_person_days=2**40),
                *programme()["nations"][1:],
            ],
        ),
    ),
    Case(
        "programme-name-with-nul",
        "PUT",
        "/scenario/meta",
        422,
        "/name",
        json={"name": "June\u0000", "horizon": JUNE},
    ),
    Case("programme-name-missing", "PUT", "/scenario/meta", 422, "/name", json={"horizon": JUNE}),
    Case(
        "solve-time-limit-above-cap",
        "POST",
        "/calendars",
        422,
        "/time_limit_s",
        json={"time_limit_s": 601},
    ),
    Case(
        "solve-time-limit-zero",
        "POST",
        "/calendars",
        422,
        "/time_limit_s",
        json={"time_limit_s": 0},
    ),
    Case("solve-zero-workers", "POST", "/calendars", 422, "/workers", json={"workers": 0}),
    Case("solve-too-many-workers", "POST", "/calendars", 422, "/workers", json={"workers": 9}),
    Case("solve-negative-seed", "POST", "/calendars", 422, "/seed", json={"seed": -1}),
    Case("solve-unknown-option", "POST", "/calendars", 422, "/colour", json={"colour": "red"}),
    Case("solve-unknown-base", "POST", "/calendars", 422, "/base", json={"base": "nope"}),
    Case("solve-body-not-an-object", "POST", "/calendars", 422, "", json=[1]),
    Case(
        "solve-body-as-text",
        "POST",
        "/calendars",
        415,
        parameter="content-type",
        content=b"time_limit_s=3",
        headers={"content-type": "text/plain"},
    ),
    Case("calendar-unknown", "GET", "/calendars/nope", 404, parameter="id"),
    Case("calendar-unknown-cancel", "POST", "/calendars/nope/cancel", 404, parameter="id"),
    Case("calendar-unknown-approve", "POST", "/calendars/nope/approve", 404, parameter="id"),
    Case("calendar-unknown-events", "GET", "/calendars/nope/events", 404, parameter="id"),
    Case("calendars-bad-status", "GET", "/calendars?status=done", 422, parameter="status"),
    Case("programme-none-approved", "GET", "/programme", 404),
]


def test_the_table_is_large_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({(c.method, c.path, repr(c.json), c.content) for c in CASES}) == len(CASES)


@pytest.fixture
async def programme_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    response = await client.put("/api/v1/scenario", json=programme())
    assert response.status_code == 200, response.text
    return client


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_bad_input_is_a_problem_and_changes_nothing(
    programme_client: httpx.AsyncClient, case: Case
) -> None:
    before = await snapshot(programme_client)
    kwargs: dict[str, Any] = {"headers": case.headers}
    if case.content is not None:
        kwargs["content"] = case.content
    elif case.json is not None:
        kwargs["json"] = case.json
    response = await programme_client.request(case.method, "/api/v1" + case.path, **kwargs)
    body = assert_problem(response, case.status, case.pointer)
    assert body["detail"]
    for error in body["errors"]:
        assert error["reason"]
    if case.parameter is not None:
        assert case.parameter in [e.get("parameter") for e in body["errors"]], body
    assert await snapshot(programme_client) == before
