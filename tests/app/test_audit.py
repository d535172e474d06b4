"""The audit trail over HTTP: one event per write (who, what, before, after), nothing for a
refused or failed write, the filters, and who may read it."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from app.cli import cli
from app.settings import Settings
from tests.app.calendar_helpers import start, wait_for
from tests.app.conftest import ClientFactory, assert_problem, tiny_scenario

pytestmark = pytest.mark.anyio

AUDIT = "/api/v1/audit"
JUNE = {"start": "1995-06-01", "end": "1995-06-30"}
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)?$")


def _w(start: str, end: str) -> dict[str, str]:
    return {"start": f"1995-06-{start}", "end": f"1995-06-{end}"}


async def _events(admin: httpx.AsyncClient, **filters: Any) -> list[dict[str, Any]]:
    response = await admin.get(AUDIT, params={"limit": 500, **filters})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _last_id(admin: httpx.AsyncClient) -> int:
    items = await _events(admin)
    return items[0]["id"] if items else 0


async def _one_new(admin: httpx.AsyncClient, after_id: int) -> dict[str, Any]:
    """The single event recorded since `after_id` (fails if there are none or several)."""
    new = [e for e in await _events(admin) if e["id"] > after_id]
    assert len(new) == 1, new
    return new[0]


async def _none_new(admin: httpx.AsyncClient, after_id: int) -> None:
    assert [e for e in await _events(admin) if e["id"] > after_id] == []


def _utc(value: Any) -> Any:
    """`value` with its date-times in one spelling: SQLite gives naive UTC times back, so a
    resource read back from it shows `...T10:00:00` where the answer to its write said `...Z`."""
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utc(v) for v in value]
    if isinstance(value, str) and DATE_TIME.match(value):
        return value.removesuffix("Z").removesuffix("+00:00")
    return value


async def _me(client: httpx.AsyncClient) -> dict[str, Any]:
    return (await client.get("/api/v1/auth/me")).json()


def _assert_actor(event: dict[str, Any], me: dict[str, Any]) -> None:
    assert event["actor"] == {
        "token_id": me["token_id"],
        "name": me["name"],
        "role": me["role"],
        "nation": me["nation"],
    }


async def _write(
    admin: httpx.AsyncClient, call: Any, status: int = 200, **expected: Any
) -> dict[str, Any]:
    """Do one write; it answers `status` and records exactly one event with `expected`."""
    last = await _last_id(admin)
    response = await call
    assert response.status_code == status, response.text
    recorded = await _one_new(admin, last)
    assert _utc({k: recorded[k] for k in expected}) == _utc(expected), recorded
    return recorded


@pytest.fixture
def idle_runner(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Solve jobs stay queued (the runner takes nothing and holds nothing to cancel)."""
    monkeypatch.setattr(app.state.job_runner, "submit", lambda *args, **kwargs: None)
    monkeypatch.setattr(app.state.job_runner, "cancel", lambda calendar_id: False)


@pytest.fixture
def fail_next_commit(app: FastAPI) -> Iterator[Callable[[], None]]:
    """`arm()`: the next commit of the app's sessions fails, as a lost connection would."""
    armed = [False]

    def boom(session: Any) -> None:
        if armed[0]:
            armed[0] = False
            raise OperationalError("COMMIT", {}, Exception("injected: the commit failed"))

    def arm() -> None:
        armed[0] = True

    event.listen(app.state.sessionmaker, "before_commit", boom)
    yield arm
    event.remove(app.state.sessionmaker, "before_commit", boom)


# -- one event per write ---------------------------------------------------------------------


async def test_the_scenario_import_records_a_summary_not_the_document(
    tiny_client: httpx.AsyncClient, idle_runner: None
) -> None:
    first = (await _events(tiny_client, entity="scenario"))[0]
    assert first["action"] == "replace" and first["before"] is None and first["entity_id"] is None
    summary = first["after"]
    assert summary["name"] == "Tiny June programme" and summary["horizon"] == JUNE
    assert summary["counts"] == {"nations": 4, "units": 4, "sites": 2, "exercises": 3}
    assert len(summary["sha256"]) == 64 and "units" not in summary

    changed = tiny_scenario()
    changed["name"] = "Tiny, renamed"
    again = await _write(
        tiny_client,
        tiny_client.put("/api/v1/scenario", json=changed),
        entity="scenario",
        action="replace",
        nation=None,
    )
    assert again["before"] == summary
    assert again["after"]["name"] == "Tiny, renamed"
    assert again["after"]["sha256"] != summary["sha256"]
    # the hash is the one a solve of the same data records
    job = await start(tiny_client)
    assert job["scenario_sha256"] == again["after"]["sha256"]


async def test_nation_writes(tiny_client: httpx.AsyncClient) -> None:
    me = await _me(tiny_client)
    nation = {"code": "HU", "name": "Hungary", "role": "partner"}
    created = await _write(
        tiny_client,
        tiny_client.post("/api/v1/nations", json=nation),
        201,
        action="create",
        entity="nation",
        entity_id="HU",
        nation="HU",
        before=None,
    )
    _assert_actor(created, me)
    assert created["after"] == (await tiny_client.get("/api/v1/nations/HU")).json()
    shown_before = created["after"]

    renamed = {**nation, "name": "Republic of Hungary", "blackouts": [_w("03", "04")]}
    replaced = await _write(
        tiny_client,
        tiny_client.put("/api/v1/nations/HU", json=renamed),
        action="replace",
        entity_id="HU",
        before=shown_before,
    )
    assert replaced["after"] == (await tiny_client.get("/api/v1/nations/HU")).json()
    assert replaced["after"]["blackouts"] == [_w("03", "04")]

    deleted = await _write(
        tiny_client,
        tiny_client.delete("/api/v1/nations/HU"),
        204,
        action="delete",
        entity_id="HU",
        after=None,
    )
    assert deleted["before"] == replaced["after"]
    at = dt.datetime.fromisoformat(deleted["at"])
    assert at.tzinfo is not None and abs(dt.datetime.now(dt.UTC) - at) < dt.timedelta(minutes=5)


async def test_unit_writes_record_the_liaison_officer_and_the_unit_nation(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    liaison = await client_as("liaison", "PL")
    me = await _me(liaison)
    unit = {"id": "PL-ENG-1", "nation": "PL", "capability": "engineer_platoon", "personnel": 40}
    created = await _write(
        tiny_client,
        liaison.post("/api/v1/units", json=unit),
        201,
        action="create",
        entity="unit",
        entity_id="PL-ENG-1",
        nation="PL",
        before=None,
    )
    _assert_actor(created, me)
    assert me["role"] == "liaison" and me["nation"] == "PL"
    shown = (await liaison.get("/api/v1/units/PL-ENG-1")).json()
    assert created["after"] == shown

    bigger = {**unit, "personnel": 45}
    replaced = await _write(
        tiny_client,
        liaison.put("/api/v1/units/PL-ENG-1", json=bigger),
        action="replace",
        nation="PL",
        before=shown,
    )
    assert replaced["after"]["personnel"] == 45
    _assert_actor(replaced, me)

    await _write(
        tiny_client,
        liaison.delete("/api/v1/units/PL-ENG-1"),
        204,
        action="delete",
        entity="unit",
        nation="PL",
        before=replaced["after"],
        after=None,
    )


async def test_site_and_exercise_writes_by_a_planner(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    planner = await client_as("planner")
    me = await _me(planner)
    site = {"id": "RO-CINCU", "name": "Cincu training area", "host": "RO", "kind": "land"}
    created = await _write(
        tiny_client,
        planner.post("/api/v1/sites", json=site),
        201,
        action="create",
        entity="site",
        entity_id="RO-CINCU",
        nation="RO",
        before=None,
    )
    _assert_actor(created, me)
    shown = (await planner.get("/api/v1/sites/RO-CINCU")).json()
    assert created["after"] == shown
    replaced = await _write(
        tiny_client,
        planner.put("/api/v1/sites/RO-CINCU", json={**site, "concurrent": 2}),
        action="replace",
        before=shown,
    )
    assert replaced["after"]["concurrent"] == 2
    await _write(
        tiny_client,
        planner.delete("/api/v1/sites/RO-CINCU"),
        204,
        action="delete",
        entity="site",
        before=replaced["after"],
        after=None,
    )

    exercise = {
        "id": "CP95",
        "name": "Cooperative Partner 95",
        "type": "peacekeeping",
        "duration_days": 3,
        "requirements": [{"capability": "infantry_company", "units": 1}],
    }
    created = await _write(
        tiny_client,
        planner.post("/api/v1/exercises", json=exercise),
        201,
        action="create",
        entity="exercise",
        entity_id="CP95",
        nation=None,
        before=None,
    )
    shown = (await planner.get("/api/v1/exercises/CP95")).json()
    assert created["after"] == shown
    replaced = await _write(
        tiny_client,
        planner.put("/api/v1/exercises/CP95", json={**exercise, "priority": 70}),
        action="replace",
        before=shown,
    )
    assert replaced["after"]["priority"] == 70
    await _write(
        tiny_client,
        planner.delete("/api/v1/exercises/CP95"),
        204,
        action="delete",
        before=replaced["after"],
        after=None,
    )


async def test_availability_puts_record_the_documents(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    liaison = await client_as("liaison", "RO")
    url = "/api/v1/units/RO-INF-1/availability"
    before = await liaison.get(url)
    new = {"availability": [_w("01", "20")], "blackouts": [_w("05", "06")]}
    recorded = await _write(
        tiny_client,
        liaison.put(url, json=new, headers={"If-Match": before.headers["etag"]}),
        action="replace",
        entity="availability",
        entity_id="unit/RO-INF-1",
        nation="RO",
        before=before.json(),
        after=new,
    )
    _assert_actor(recorded, await _me(liaison))

    url = "/api/v1/nations/PL/availability"
    before = await tiny_client.get(url)
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:a@test\r\nDTSTART;VALUE=DATE:19950610\r\nDTEND;VALUE=DATE:19950612\r\n"
        "SUMMARY:holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    last = await _last_id(tiny_client)
    headers = {"If-Match": before.headers["etag"], "Content-Type": "text/calendar"}
    response = await tiny_client.put(url, content=ics, headers=headers)
    assert response.status_code == 200, response.text
    recorded = await _one_new(tiny_client, last)
    assert (recorded["entity"], recorded["entity_id"], recorded["nation"]) == (
        "availability",
        "nation/PL",
        "PL",
    )
    assert recorded["before"] == before.json()
    assert recorded["after"] == response.json()
    assert recorded["after"]["blackouts"] == [_w("10", "11")]


async def test_programme_meta(tiny_client: httpx.AsyncClient) -> None:
    body = {"name": "Renamed", "horizon": JUNE}
    await _write(
        tiny_client,
        tiny_client.put("/api/v1/scenario/meta", json=body),
        action="replace",
        entity="programme",
        entity_id=None,
        before={"name": "Tiny June programme", "horizon": JUNE},
        after=body,
    )


async def test_a_meta_put_on_an_empty_database_has_no_before(client: httpx.AsyncClient) -> None:
    body = {"name": "New", "horizon": JUNE}
    await _write(
        client,
        client.put("/api/v1/scenario/meta", json=body),
        entity="programme",
        before=None,
        after=body,
    )


async def test_solve_and_cancel_requests(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory, idle_runner: None
) -> None:
    planner = await client_as("planner")
    me = await _me(planner)
    last = await _last_id(tiny_client)
    job = await start(planner, name="June draft")
    solve = await _one_new(tiny_client, last)
    assert (solve["action"], solve["entity"], solve["entity_id"]) == (
        "solve",
        "calendar",
        job["id"],
    )
    _assert_actor(solve, me)
    assert solve["before"] is None
    listed = (await planner.get("/api/v1/calendars")).json()["items"][0]
    assert _utc(solve["after"]) == _utc(listed) and solve["after"]["status"] == "queued"

    cancel = await _write(
        tiny_client,
        planner.post(f"/api/v1/calendars/{job['id']}/cancel"),
        action="cancel",
        entity="calendar",
        entity_id=job["id"],
        before=listed,
        after=None,
    )
    _assert_actor(cancel, me)
    # cancelling a job that is over is refused, and records nothing
    last = await _last_id(tiny_client)
    assert_problem(await planner.post(f"/api/v1/calendars/{job['id']}/cancel"), 409)
    await _none_new(tiny_client, last)


async def test_approval(tiny_client: httpx.AsyncClient, client_as: ClientFactory) -> None:
    approver = await client_as("approver")
    job = await start(tiny_client, time_limit_s=10)
    done = await wait_for(tiny_client, job["id"], lambda j: j["status"] == "completed")
    listed = (await tiny_client.get("/api/v1/calendars")).json()["items"][0]
    assert listed["id"] == done["id"]
    approved = await _write(
        tiny_client,
        approver.post(f"/api/v1/calendars/{job['id']}/approve"),
        action="approve",
        entity="calendar",
        entity_id=job["id"],
        before=listed,
    )
    _assert_actor(approved, await _me(approver))
    assert approved["after"]["state"] == "approved" and approved["after"]["approved_at"]
    assert "calendar" not in approved["after"]
    # approving again changes nothing, so records nothing
    last = await _last_id(tiny_client)
    assert (await approver.post(f"/api/v1/calendars/{job['id']}/approve")).status_code == 200
    await _none_new(tiny_client, last)


async def test_token_writes_never_hold_the_secret(client: httpx.AsyncClient) -> None:
    body = {"role": "liaison", "name": "PL desk", "nation": "PL"}
    last = await _last_id(client)
    response = await client.post("/api/v1/tokens", json=body)
    assert response.status_code == 201, response.text
    token = response.json()
    created = await _one_new(client, last)
    assert (created["action"], created["entity"], created["entity_id"]) == (
        "create",
        "token",
        token["id"],
    )
    assert created["nation"] == "PL" and created["before"] is None
    assert created["after"] == {k: v for k, v in token.items() if k != "secret"}
    assert token["secret"] not in str(created)
    _assert_actor(created, await _me(client))

    revoked = await _write(
        client,
        client.delete(f"/api/v1/tokens/{token['id']}"),
        204,
        action="revoke",
        entity="token",
        entity_id=token["id"],
        before=created["after"],
    )
    assert revoked["after"]["revoked_at"] is not None
    # revoking again, or an unknown token, records nothing
    last = await _last_id(client)
    assert (await client.delete(f"/api/v1/tokens/{token['id']}")).status_code == 204
    assert_problem(await client.delete("/api/v1/tokens/tok_nosuch"), 404)
    await _none_new(client, last)


async def test_token_commands_are_recorded_as_the_system(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    def run(*args: str) -> Any:
        env = {"PFP_DATABASE_URL": settings.database_url}
        return CliRunner().invoke(cli, ["token", *args], env=env)

    last = await _last_id(client)
    created = await asyncio.to_thread(run, "create", "--role", "viewer", "--name", "wall screen")
    assert created.exit_code == 0, created.output
    token_id = created.stderr.split("created token ")[1].split()[0]
    event_ = await _one_new(client, last)
    assert (event_["action"], event_["entity"], event_["entity_id"]) == (
        "create",
        "token",
        token_id,
    )
    assert event_["actor"] == {"token_id": None, "name": "system", "role": "admin", "nation": None}
    assert created.stdout.strip() not in str(event_)

    revoked = await asyncio.to_thread(run, "revoke", token_id)
    assert revoked.exit_code == 0, revoked.output
    event_ = await _one_new(client, event_["id"])
    assert (event_["action"], event_["entity_id"]) == ("revoke", token_id)
    assert event_["actor"]["name"] == "system" and event_["after"]["revoked_at"]


# -- nothing for a refused or failed write ----------------------------------------------------


async def test_refused_writes_record_nothing(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    last = await _last_id(tiny_client)
    bad_unit = {"id": "PL-X", "nation": "PL", "capability": "infantry_company", "personnel": 0}
    assert_problem(await tiny_client.post("/api/v1/units", json=bad_unit), 422)
    assert_problem(await tiny_client.delete("/api/v1/nations/PL"), 409)  # it has units
    site = {"id": "PL-DRAWSKO", "name": "again", "host": "PL"}
    assert_problem(await tiny_client.post("/api/v1/sites", json=site), 409)
    await _none_new(tiny_client, last)
    url = "/api/v1/nations/PL/availability"
    etag = (await tiny_client.get(url)).headers["etag"]
    new = {"availability": None, "blackouts": [_w("02", "03")]}
    assert (await tiny_client.put(url, json=new, headers={"If-Match": etag})).status_code == 200
    last = await _last_id(tiny_client)
    stale = await tiny_client.put(url, json=new, headers={"If-Match": etag})
    assert_problem(stale, 412)
    assert_problem(await tiny_client.put(url, json=new), 428)
    outside = {"blackouts": [{"start": "1995-07-01", "end": "1995-07-02"}]}
    assert_problem(await tiny_client.put(url, json=outside, headers={"If-Match": "*"}), 422)
    assert_problem(
        await tiny_client.put(
            "/api/v1/scenario/meta", json={"name": "x", "horizon": _w("01", "02")}
        ),
        409,
    )
    liaison = await client_as("liaison", "RO")
    assert_problem(await liaison.put("/api/v1/nations/PL", json={}), 404)
    planner = await client_as("planner")
    assert_problem(await planner.delete("/api/v1/nations/SE"), 403)
    await _none_new(tiny_client, last)


async def test_a_write_whose_commit_fails_records_nothing(
    tiny_client: httpx.AsyncClient, fail_next_commit: Callable[[], None]
) -> None:
    last = await _last_id(tiny_client)
    site = {"id": "SE-KARLSBORG", "name": "Karlsborg", "host": "SE"}
    fail_next_commit()
    assert_problem(await tiny_client.post("/api/v1/sites", json=site), 503)
    assert (await tiny_client.get("/api/v1/sites/SE-KARLSBORG")).status_code == 404
    await _none_new(tiny_client, last)
    # the same write, committed, is recorded
    await _write(tiny_client, tiny_client.post("/api/v1/sites", json=site), 201, entity="site")


# -- reading the trail ------------------------------------------------------------------------


async def test_filters(tiny_client: httpx.AsyncClient, client_as: ClientFactory) -> None:
    liaison = await client_as("liaison", "RO")
    me = await _me(liaison)
    begin = dt.datetime.now(dt.UTC)
    url = "/api/v1/units/RO-INF-1/availability"
    etag = (await liaison.get(url)).headers["etag"]
    put = await liaison.put(url, json={"blackouts": [_w("02", "02")]}, headers={"If-Match": etag})
    assert put.status_code == 200, put.text
    site = {"id": "RO-CINCU", "name": "Cincu", "host": "RO"}
    assert (await tiny_client.post("/api/v1/sites", json=site)).status_code == 201
    assert (await tiny_client.delete("/api/v1/exercises/CH95")).status_code == 204

    def ids(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
        return [(e["entity"], e["entity_id"]) for e in events]

    everything = await _events(tiny_client)
    assert ids(everything) == [
        ("exercise", "CH95"),
        ("site", "RO-CINCU"),
        ("availability", "unit/RO-INF-1"),
        ("scenario", None),
    ]  # newest first
    assert ids(await _events(tiny_client, nation="RO")) == [
        ("site", "RO-CINCU"),
        ("availability", "unit/RO-INF-1"),
    ]
    assert ids(await _events(tiny_client, entity="site")) == [("site", "RO-CINCU")]
    assert ids(await _events(tiny_client, entity_id="CH95")) == [("exercise", "CH95")]
    assert ids(await _events(tiny_client, action="delete")) == [("exercise", "CH95")]
    assert ids(await _events(tiny_client, actor=me["token_id"])) == [
        ("availability", "unit/RO-INF-1")
    ]
    since = await _events(tiny_client, since=begin.isoformat())
    assert len(since) == 3
    assert await _events(tiny_client, until=begin.isoformat()) == everything[3:]
    in_paris = begin.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat()
    assert len(await _events(tiny_client, since=in_paris)) == 3  # the same instant in +01:00
    page = (await tiny_client.get(AUDIT, params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert ids(page["items"]) == ids(everything[1:3])


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("since", "yesterday"),
        ("since", "1995-06-01"),
        ("until", "1995-06-01T00:00:00"),  # no offset
        ("until", "1995-02-30T00:00:00Z"),
        ("since", "0001-01-01T00:00:00+01:00"),  # before year 1 in UTC
        ("since", "\u0661\u0669\u0669\u0665-06-01T00:00:00Z"),  # not ASCII digits
        ("entity_id", "a\x00b"),
        ("actor", "tok\x00"),
        ("nation", "pl"),
        ("entity", "bogus"),
        ("action", "explode"),
        ("actor", "x" * 17),
        ("limit", "0"),
        ("limit", "100000"),
        ("offset", "-1"),
    ],
)
async def test_bad_filters_are_422_naming_the_parameter(
    client: httpx.AsyncClient, parameter: str, value: str
) -> None:
    body = assert_problem(await client.get(AUDIT, params={parameter: value}), 422)
    assert parameter in [e.get("parameter") for e in body["errors"]], body


async def test_until_before_since_is_422(client: httpx.AsyncClient) -> None:
    params = {"since": "1995-06-02T00:00:00Z", "until": "1995-06-01T00:00:00Z"}
    body = assert_problem(await client.get(AUDIT, params=params), 422)
    assert [e["parameter"] for e in body["errors"]] == ["until"]


async def test_a_planner_sees_writes_to_programme_data_only(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    planner = await client_as("planner")
    liaison = await client_as("liaison", "PL")
    url = "/api/v1/nations/PL/availability"
    etag = (await liaison.get(url)).headers["etag"]
    assert (await liaison.put(url, json={}, headers={"If-Match": etag})).status_code == 200
    assert (
        await tiny_client.put(
            "/api/v1/nations/SE",
            json={"code": "SE", "name": "Kingdom of Sweden", "role": "partner"},
        )
    ).status_code == 200
    assert (
        await tiny_client.post("/api/v1/tokens", json={"role": "viewer", "name": "v"})
    ).status_code == 201
    assert (await planner.delete("/api/v1/exercises/CH95")).status_code == 204
    assert (
        await planner.put("/api/v1/scenario/meta", json={"name": "P", "horizon": JUNE})
    ).status_code == 200

    admin_sees = {e["entity"] for e in await _events(tiny_client)}
    assert admin_sees == {"availability", "nation", "token", "exercise", "programme", "scenario"}
    seen = await _events(planner)
    assert {e["entity"] for e in seen} == {"exercise", "programme", "scenario"}
    total = (await planner.get(AUDIT)).json()["total"]
    assert total == len(seen) == 3
    assert await _events(planner, nation="PL") == []
    for hidden in ("token", "nation", "unit", "availability"):
        body = assert_problem(await planner.get(AUDIT, params={"entity": hidden}), 403)
        assert body["errors"][0]["parameter"] == "entity"


@pytest.mark.parametrize(
    ("role", "nation"), [("liaison", "PL"), ("viewer", None), ("approver", None)]
)
async def test_other_roles_may_not_read_the_trail(
    client_as: ClientFactory, role: str, nation: str | None
) -> None:
    reader = await client_as(role, nation)
    assert_problem(await reader.get(AUDIT), 403)


async def test_no_token_is_401(anonymous: httpx.AsyncClient) -> None:
    assert_problem(await anonymous.get(AUDIT), 401)
