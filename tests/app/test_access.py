"""Who may do what: every route states a rule, every role is tried on every route against a
table written by hand, a liaison officer learns nothing of other nations (404s that look like
"no such thing", listings, conflicts and the published programme narrowed), and the README's
access table says what the rules say."""

from __future__ import annotations

import copy
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import icalendar
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from app.auth import rules
from app.auth.principal import Role
from app.conflicts.scope import conflicts_for_nation
from solver import DataConflict, parse_scenario
from tests.app.calendar_steps import API, approved, solved
from tests.app.conftest import ClientFactory, assert_problem, tiny_scenario

pytestmark = pytest.mark.anyio
README = Path(__file__).parents[2] / "README.md"

ROLES = ("admin", "planner", "approver", "liaison-own", "liaison-other", "viewer", "anonymous")
OK = "ok"  # allowed: neither 401, 403 nor 404, and no 5xx

# What each role gets on each route, written by hand (not derived from app.auth.rules, so a
# change of a rule fails here until this table changes too). Columns, in order: admin,
# planner, approver, liaison-own (a PL liaison officer), liaison-other (an RO one), viewer,
# anonymous. The requests name PL's data (nation PL, unit PL-INF-1) where a path names a
# nation or unit; every route of the app must have a row.
TABLE: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "ok ok ok ok ok ok ok",
    ("GET", "/docs"): "ok ok ok ok ok ok ok",
    ("GET", "/docs/oauth2-redirect"): "ok ok ok ok ok ok ok",
    ("GET", "/redoc"): "ok ok ok ok ok ok ok",
    ("GET", "/healthz"): "ok ok ok ok ok ok ok",
    ("GET", "/readyz"): "ok ok ok ok ok ok ok",
    ("GET", "/api/v1/auth/me"): "ok ok ok ok ok ok 401",
    ("GET", "/api/v1/tokens"): "ok 403 403 403 403 403 401",
    ("POST", "/api/v1/tokens"): "ok 403 403 403 403 403 401",
    ("DELETE", "/api/v1/tokens/{token_id}"): "ok 403 403 403 403 403 401",
    # nations, units and their availability: a liaison officer's own only
    ("GET", "/api/v1/nations"): "ok ok ok ok ok 403 401",
    ("POST", "/api/v1/nations"): "ok 403 403 403 403 403 401",
    ("GET", "/api/v1/nations/{code}"): "ok ok ok ok 404 403 401",
    ("PUT", "/api/v1/nations/{code}"): "ok 403 403 ok 404 403 401",
    ("DELETE", "/api/v1/nations/{code}"): "ok 403 403 403 403 403 401",
    ("GET", "/api/v1/nations/{code}/availability"): "ok ok ok ok 404 403 401",
    ("PUT", "/api/v1/nations/{code}/availability"): "ok 403 403 ok 404 403 401",
    ("GET", "/api/v1/units"): "ok ok ok ok ok 403 401",
    ("POST", "/api/v1/units"): "ok 403 403 ok 404 403 401",
    ("GET", "/api/v1/units/{unit_id}"): "ok ok ok ok 404 403 401",
    ("PUT", "/api/v1/units/{unit_id}"): "ok 403 403 ok 404 403 401",
    ("DELETE", "/api/v1/units/{unit_id}"): "ok 403 403 ok 404 403 401",
    ("GET", "/api/v1/units/{unit_id}/availability"): "ok ok ok ok 404 403 401",
    ("PUT", "/api/v1/units/{unit_id}/availability"): "ok 403 403 ok 404 403 401",
    # the programme's own data: the PCC writes it, liaison officers read it
    ("GET", "/api/v1/sites"): "ok ok ok ok ok 403 401",
    ("POST", "/api/v1/sites"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/sites/{site_id}"): "ok ok ok ok ok 403 401",
    ("PUT", "/api/v1/sites/{site_id}"): "ok ok 403 403 403 403 401",
    ("DELETE", "/api/v1/sites/{site_id}"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/exercises"): "ok ok ok ok ok 403 401",
    ("POST", "/api/v1/exercises"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/exercises/{exercise_id}"): "ok ok ok ok ok 403 401",
    ("PUT", "/api/v1/exercises/{exercise_id}"): "ok ok 403 403 403 403 401",
    ("DELETE", "/api/v1/exercises/{exercise_id}"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/scenario"): "ok ok ok 403 403 403 401",
    ("PUT", "/api/v1/scenario"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/scenario/schema"): "ok ok ok ok ok ok 401",
    ("GET", "/api/v1/scenario/meta"): "ok ok ok ok ok 403 401",
    ("PUT", "/api/v1/scenario/meta"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/conflicts"): "ok ok ok ok ok 403 401",
    # calendars: staff only, but for the published programme
    ("POST", "/api/v1/calendars"): "ok ok 403 403 403 403 401",
    ("GET", "/api/v1/calendars"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/events"): "ok ok ok 403 403 403 401",
    ("POST", "/api/v1/calendars/{calendar_id}/cancel"): "ok ok 403 403 403 403 401",
    ("POST", "/api/v1/calendars/{calendar_id}/approve"): "ok 403 ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/diff/{other_id}"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/conflicts"): "ok ok ok ok ok 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/export"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/export.json"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/export.csv"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/export.ics"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/nations/{code}.ics"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/calendars/{calendar_id}/nations/{code}.csv"): "ok ok ok 403 403 403 401",
    ("GET", "/api/v1/programme"): "ok ok ok ok ok ok 401",
    ("GET", "/api/v1/programme.ics"): "ok ok ok ok ok ok 401",
    ("GET", "/api/v1/nations/{code}/programme.ics"): "ok ok ok ok 404 ok 401",
    ("GET", "/api/v1/nations/{code}/calendar"): "ok ok ok ok 404 403 401",
    ("GET", "/api/v1/audit"): "ok ok 403 403 403 403 401",
    # the web pages: without a session or token, a 303 to the sign-in page
    ("GET", "/signin"): "ok ok ok ok ok ok ok",
    ("POST", "/signin"): "ok ok ok ok ok ok ok",
    ("POST", "/signout"): "ok ok ok ok ok ok 303",
    ("GET", "/"): "ok ok ok ok ok ok 303",
    ("GET", "/calendars"): "ok ok ok 403 403 403 303",
    ("GET", "/calendars/{calendar_id}"): "ok ok ok 403 403 403 303",
    ("POST", "/calendars/{calendar_id}/approve"): "ok 403 ok 403 403 403 303",
    ("GET", "/solve"): "ok ok 403 403 403 403 303",
    ("GET", "/nations"): "ok ok ok 403 403 403 303",
    ("GET", "/nations/{code}"): "ok ok ok ok 404 403 303",
    ("GET", "/conflicts"): "ok ok ok ok ok 403 303",
}


def app_routes(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(method, path, route) of every route of the app, included routers' too (HEAD left out
    where the route also answers GET)."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        methods = set(ctx.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")
        out += [(m, ctx.path_format or ctx.path, ctx.original_route) for m in sorted(methods)]
    return out


def rule_of_route(route: Any) -> rules.Rule | None:
    dependant = getattr(route, "dependant", None)
    found = [rules.rule_of(d.call) for d in (dependant.dependencies if dependant else [])]
    found = [r for r in found if r is not None]
    assert len(found) <= 1, f"{route.path} lists {len(found)} access rules"
    return found[0] if found else None


# --- every route states a rule ---------------------------------------------------------------


async def test_every_route_has_an_access_rule(app: FastAPI) -> None:
    routes = app_routes(app)
    assert len(routes) > 50  # the included routers are walked too
    missing = []
    for method, path, route in routes:
        if isinstance(route, APIRoute):
            if rule_of_route(route) is None:
                missing.append(f"{method} {path}")
        elif path not in rules.PUBLIC_PATHS:
            missing.append(f"{method} {path} (not an API route and not in PUBLIC_PATHS)")
    assert not missing, "routes without an access rule: " + ", ".join(missing)


async def test_the_table_lists_every_route_and_no_other(app: FastAPI) -> None:
    """A new route fails here until it has a row in TABLE (and a request in `_request`)."""
    served = {(m, p) for m, p, _ in app_routes(app)}
    assert not served - TABLE.keys(), f"routes without a row in TABLE: {served - TABLE.keys()}"
    assert not TABLE.keys() - served, f"rows for routes that do not exist: {TABLE.keys() - served}"
    for key, row in TABLE.items():
        assert len(row.split()) == len(ROLES), key


# --- every role on every route -----------------------------------------------------------------


@dataclass
class World:
    """The data the table's requests act on: the tiny scenario and an approved calendar."""

    admin: httpx.AsyncClient
    clients: dict[str, httpx.AsyncClient]
    calendar_id: str
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def fresh(self) -> int:
        return next(self.counter)

    async def read(self, path: str) -> httpx.Response:
        response = await self.admin.get(path)
        assert response.status_code == 200, response.text
        return response

    async def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.admin.post(path, json=body)
        assert response.status_code == 201, response.text
        return response.json()


async def make_clients(
    client_as: ClientFactory, anonymous: httpx.AsyncClient
) -> dict[str, httpx.AsyncClient]:
    return {
        "admin": await client_as(Role.admin),
        "planner": await client_as(Role.planner),
        "approver": await client_as(Role.approver),
        "liaison-own": await client_as(Role.liaison, "PL"),
        "liaison-other": await client_as(Role.liaison, "RO"),
        "viewer": await client_as(Role.viewer),
        "anonymous": anonymous,
    }


def _unit(unit_id: str) -> dict[str, Any]:
    return {"id": unit_id, "nation": "PL", "capability": "infantry_company", "personnel": 10}


def _site(site_id: str) -> dict[str, Any]:
    return {"id": site_id, "name": "A spare training area", "host": "PL", "kind": "land"}


def _exercise(exercise_id: str) -> dict[str, Any]:
    return {
        "id": exercise_id,
        "name": "A spare exercise",
        "type": "humanitarian",
        "duration_days": 2,
        "requirements": [{"capability": "medical_team", "units": 1}],
    }


Request = dict[str, Any]  # httpx.AsyncClient.request keyword arguments, `url` included


async def _request(method: str, path: str, w: World) -> Request:
    """A valid request for the route (the resources it names exist when it is sent)."""
    n = w.fresh()
    params = {
        "code": "PL",
        "unit_id": "PL-INF-1",
        "site_id": "PL-DRAWSKO",
        "exercise_id": "CB95",
        "calendar_id": w.calendar_id,
        "other_id": w.calendar_id,
    }
    out: Request = {}
    key = (method, path)
    if method == "DELETE":  # a throwaway resource each time (a nation: PL, refused with 409)
        if path.endswith("{unit_id}"):
            params["unit_id"] = (await w.create(f"{API}/units", _unit(f"PL-DEL-{n}")))["id"]
        elif path.endswith("{site_id}"):
            params["site_id"] = (await w.create(f"{API}/sites", _site(f"PL-DEL-{n}")))["id"]
        elif path.endswith("{exercise_id}"):
            params["exercise_id"] = (await w.create(f"{API}/exercises", _exercise(f"DEL{n}")))["id"]
        elif path.endswith("{token_id}"):
            token = await w.create(f"{API}/tokens", {"role": "viewer", "name": f"spare {n}"})
            params["token_id"] = token["id"]
    elif key == ("POST", "/signin"):  # the form's nonce cookie, and a token to sign in with
        form = await w.admin.get("/signin")
        nonce = form.cookies.get("pfp_signin") or _cookie(form, "pfp_signin")
        token = await w.create(f"{API}/tokens", {"role": "viewer", "name": f"web {n}"})
        out["data"] = {"csrf_token": nonce, "token": token["secret"], "next": "/"}
        out["headers"] = {"Cookie": f"pfp_signin={nonce}"}
    elif method == "POST":
        bodies: dict[str, Any] = {
            f"{API}/nations": {"code": "FI", "name": "Finland"},
            f"{API}/units": _unit(f"PL-NEW-{n}"),
            f"{API}/sites": _site(f"PL-NEW-{n}"),
            f"{API}/exercises": _exercise(f"NEW{n}"),
            f"{API}/tokens": {"role": "viewer", "name": f"new {n}"},
            f"{API}/calendars": {"time_limit_s": 1, "workers": 1},
        }
        if path in bodies:
            out["json"] = bodies[path]
    elif method == "PUT":
        url = path.format(**params)
        if url.endswith("/availability"):
            current = await w.read(url)
            out["json"] = current.json()
            out["headers"] = {"If-Match": current.headers["etag"]}
        elif key == ("PUT", f"{API}/scenario"):
            out["json"] = tiny_scenario()
        else:  # a resource replaced by itself
            out["json"] = (await w.read(url)).json()
    out["url"] = path.format(**params)
    return out


def _cookie(response: httpx.Response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie set: {response.headers}")


def _verdict(expected: str | int, response: httpx.Response) -> str | None:
    """None when the answer is the expected one, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"{status} (a server error)"
    if expected == OK:
        return f"{status}, expected it allowed" if status in (401, 403, 404) else None
    return None if status == expected else f"{status}, expected {expected}"


async def test_every_role_on_every_route(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory, anonymous: httpx.AsyncClient
) -> None:
    job = await approved(tiny_client)
    clients = await make_clients(client_as, anonymous)
    w = World(admin=tiny_client, clients=clients, calendar_id=job["id"])
    wrong = []
    for (method, path), row in TABLE.items():
        for role, cell in zip(ROLES, row.split(), strict=True):
            expected: str | int = OK if cell == OK else int(cell)
            request = await _request(method, path, w)
            response = await clients[role].request(method, **request)
            problem = _verdict(expected, response)
            if problem is not None:
                wrong.append(f"{role} {method} {request['url']}: {problem} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


# --- a liaison officer's 404 is the 404 of a thing that does not exist ------------------------


def _same_404(a: httpx.Response, b: httpx.Response, a_id: str, b_id: str) -> None:
    assert a.status_code == b.status_code == 404, (a.text, b.text)
    assert a.content.replace(a_id.encode(), b"<id>") == b.content.replace(b_id.encode(), b"<id>")
    skip = {"content-length", "date"}
    assert {k: v for k, v in a.headers.items() if k not in skip} == {
        k: v for k, v in b.headers.items() if k not in skip
    }


async def test_another_nations_data_is_a_404_like_a_missing_one(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    await approved(tiny_client)
    pl = await client_as(Role.liaison, "PL")
    ro_unit = (await tiny_client.get(f"{API}/units/RO-INF-1")).json()
    pairs = [  # (method, path of another nation's, path of nothing, ids, body)
        ("GET", "/nations/{}", ("RO", "ZZ"), None),
        ("PUT", "/nations/{}", ("RO", "ZZ"), {"code": "RO", "name": "Romania"}),
        ("GET", "/nations/{}/availability", ("RO", "ZZ"), None),
        ("PUT", "/nations/{}/availability", ("RO", "ZZ"), {"availability": None}),
        ("GET", "/nations/{}/calendar", ("RO", "ZZ"), None),
        ("GET", "/nations/{}/programme.ics", ("RO", "ZZ"), None),
        ("GET", "/units/{}", ("RO-INF-1", "XX-INF-9"), None),
        ("PUT", "/units/{}", ("RO-INF-1", "XX-INF-9"), ro_unit),
        ("DELETE", "/units/{}", ("RO-INF-1", "XX-INF-9"), None),
        ("GET", "/units/{}/availability", ("RO-INF-1", "XX-INF-9"), None),
        ("PUT", "/units/{}/availability", ("RO-INF-1", "XX-INF-9"), {"availability": None}),
    ]
    for method, template, (theirs, nothing), body in pairs:
        kwargs = {"json": body} if body is not None else {}
        a = await pl.request(method, API + template.format(theirs), **kwargs)
        b = await pl.request(method, API + template.format(nothing), **kwargs)
        _same_404(a, b, theirs, nothing)
    # and the same as an admin's 404 for a nation or unit that does not exist
    for template, theirs, nothing in [
        ("/nations/{}", "RO", "ZZ"),
        ("/units/{}", "RO-INF-1", "XX-INF-9"),
        ("/nations/{}/availability", "RO", "ZZ"),
        ("/units/{}/availability", "RO-INF-1", "XX-INF-9"),
    ]:
        a = await pl.get(API + template.format(theirs))
        b = await tiny_client.get(API + template.format(nothing))
        _same_404(a, b, theirs, nothing)
    # a unit sent for another nation: the 404 of a nation that does not exist
    unit = {"id": "PL-NEW-1", "nation": "RO", "capability": "infantry_company", "personnel": 9}
    a = await pl.post(f"{API}/units", json=unit)
    b = await pl.post(f"{API}/units", json=unit | {"nation": "FI"})  # valid, not declared
    _same_404(a, b, "RO", "FI")
    assert (await tiny_client.get(f"{API}/units/PL-NEW-1")).status_code == 404


async def test_a_draft_calendar_is_a_404_to_a_liaison_officer(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    draft = await solved(tiny_client)
    pl = await client_as(Role.liaison, "PL")
    for template in ("/calendars/{}/conflicts", "/nations/PL/calendar?calendar={}"):
        a = await pl.get(API + template.format(draft["id"]))
        b = await pl.get(API + template.format("cal_nosuchone"))
        c = await tiny_client.get(API + template.format("cal_nosuchone"))
        _same_404(a, b, draft["id"], "cal_nosuchone")
        _same_404(a, c, draft["id"], "cal_nosuchone")


# --- what a liaison officer's answers hold -----------------------------------------------------


def other_nations_text(own: str) -> list[str]:
    """Strings that would give away other nations' data in a PL/RO liaison officer's answers."""
    scenario = tiny_scenario()
    return [n["name"] for n in scenario["nations"] if n["code"] != own]


async def test_a_liaison_officer_lists_their_own_nation_and_units_only(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    await tiny_client.post(
        f"{API}/units",
        json={"id": "PL-INF-2", "nation": "PL", "capability": "infantry_company", "personnel": 90},
    )
    pl = await client_as(Role.liaison, "PL")
    nations = (await pl.get(f"{API}/nations")).json()
    assert [n["code"] for n in nations["items"]] == ["PL"] and nations["total"] == 1
    units = (await pl.get(f"{API}/units?limit=1")).json()
    assert units["total"] == 2 and [u["id"] for u in units["items"]] == ["PL-INF-1"]
    units = (await pl.get(f"{API}/units?limit=1&offset=1")).json()
    assert [u["id"] for u in units["items"]] == ["PL-INF-2"]
    assert (await pl.get(f"{API}/units?nation=PL")).json()["total"] == 2
    assert (await pl.get(f"{API}/units?nation=RO")).json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
    }
    assert (await pl.get(f"{API}/nations?role=ally")).json()["total"] == 0
    assert (await tiny_client.get(f"{API}/units")).json()["total"] == 5


async def test_a_liaison_officer_cannot_move_a_unit_or_change_their_nations_role(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    pl = await client_as(Role.liaison, "PL")
    unit = (await pl.get(f"{API}/units/PL-INF-1")).json()
    moved = await pl.put(f"{API}/units/PL-INF-1", json=unit | {"nation": "RO"})
    assert_problem(moved, 404)
    assert (await tiny_client.get(f"{API}/units/PL-INF-1")).json()["nation"] == "PL"
    renamed = await pl.put(f"{API}/units/PL-INF-1", json=unit | {"personnel": 121})
    assert renamed.status_code == 200, renamed.text

    nation = (await pl.get(f"{API}/nations/PL")).json()
    body = assert_problem(await pl.put(f"{API}/nations/PL", json=nation | {"role": "ally"}), 403)
    assert body["errors"][0]["pointer"] == "/role"
    assert (await tiny_client.get(f"{API}/nations/PL")).json()["role"] == "partner"
    limited = await pl.put(f"{API}/nations/PL", json=nation | {"max_exercises": 2})
    assert limited.status_code == 200, limited.text  # its own limits are its own to set
    promoted = await tiny_client.put(f"{API}/nations/PL", json=nation | {"role": "ally"})
    assert promoted.status_code == 200, promoted.text  # an admin may


def programme_with_limits() -> dict[str, Any]:
    """The tiny programme where other nations' limits and availability show in the conflicts:
    RO funds nothing (max_exercises 0, so CB95 lacks an infantry company), SE's helicopter is
    away, PL has one exercise a year."""
    scenario = copy.deepcopy(tiny_scenario())
    limits = {"RO": {"max_exercises": 0}, "PL": {"max_exercises": 1}, "SE": {}}
    for nation in scenario["nations"]:
        nation.update(limits.get(nation["code"], {}))
    scenario["units"].append(
        {
            "id": "SE-SAR-2",
            "nation": "SE",
            "capability": "sar_helicopter",
            "personnel": 12,
            "blackouts": [{"start": "1995-06-01", "end": "1995-06-30"}],
        }  # fmt: skip
    )
    return scenario


async def test_a_liaison_officer_sees_the_conflicts_of_their_nation_only(
    client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    assert (await client.put(f"{API}/scenario", json=programme_with_limits())).status_code == 200
    everything = (await client.get(f"{API}/conflicts")).json()
    assert "Romania" in json.dumps(everything)  # the admin sees RO's limits

    ro_unit_ids = {"RO-INF-1", "SE-SAR-1", "SE-SAR-2", "NL-MED-1"}
    pl = await client_as(Role.liaison, "PL")
    mine = (await pl.get(f"{API}/conflicts")).json()
    assert mine["items"], mine  # CB95 concerns PL (it needs an infantry company)
    text = json.dumps(mine)
    for leak in [*other_nations_text("PL"), *ro_unit_ids]:
        assert leak not in text, (leak, mine)
    for item in mine["items"]:
        assert set(item["nations"]) <= {"PL"} and set(item["units"]) <= {"PL-INF-1"}
    assert mine["errors"] + mine["warnings"] == len(mine["items"])
    assert (await pl.get(f"{API}/conflicts?nation=RO")).json()["items"] == []

    ro = await client_as(Role.liaison, "RO")
    theirs = (await ro.get(f"{API}/conflicts")).json()
    funding = [c for c in theirs["items"] if c["code"] == "nation_cannot_fund"]
    assert funding and "max_exercises 0" in funding[0]["message"]  # their own, in full
    assert "Poland" not in json.dumps(theirs)


def test_a_conflict_about_another_nations_own_data_is_never_shown() -> None:
    """Pure: `conflicts_for_nation` on hand-made conflicts (a unit's windows name no nation)."""
    scenario = parse_scenario(tiny_scenario())
    found = [
        DataConflict(
            code="overlapping_windows",
            severity="warning",
            message="RO's windows",
            units=["RO-INF-1"],
        ),
        DataConflict(
            code="overlapping_windows",
            severity="warning",
            message="PL's windows",
            units=["PL-INF-1"],
        ),
        DataConflict(
            code="nation_cannot_fund",
            severity="error",
            message="Romania funds none",
            exercises=["CB95"],
            nations=["RO"],
        ),
        DataConflict(
            code="after_impossible", severity="error", message="CH95 after CV95", exercises=["CV95"]
        ),  # CV95: SE's, not PL's concern
        DataConflict(
            code="no_site_available",
            severity="error",
            message="no site for CH95",
            exercises=["CH95"],
            sites=["PL-DRAWSKO"],
        ),
    ]
    shown = conflicts_for_nation(found, scenario, "PL")
    assert [c.message for c in shown] == ["PL's windows", "no site for CH95"]
    assert [c.message for c in conflicts_for_nation(found, scenario, "RO")] == [
        "RO's windows",
        "Romania funds none",
        "no site for CH95",  # RO has an infantry company, which CH95 needs
    ]


async def test_a_liaison_officers_nation_view_holds_no_other_nations_data(
    client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    assert (await client.put(f"{API}/scenario", json=programme_with_limits())).status_code == 200
    await approved(client)
    staff = (await client.get(f"{API}/nations/PL/calendar")).json()
    assert "Romania" in json.dumps(staff["data_conflicts"])  # CB95: RO-INF-1 funds nothing

    pl = await client_as(Role.liaison, "PL")
    mine = (await pl.get(f"{API}/nations/PL/calendar")).json()
    assert [c["code"] for c in mine["data_conflicts"]] == [
        c["code"] for c in staff["data_conflicts"]
    ]
    text = json.dumps(mine["data_conflicts"] + mine["calendar_conflicts"])
    for leak in [*other_nations_text("PL"), "RO-INF-1"]:
        assert leak not in text, (leak, mine)


async def test_a_liaison_officers_calendar_conflicts_concern_their_nation_only(
    client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    assert (await client.put(f"{API}/scenario", json=programme_with_limits())).status_code == 200
    job = await approved(client)
    url = f"{API}/calendars/{job['id']}/conflicts"
    everything = (await client.get(url)).json()
    assert everything["unscheduled"], everything

    pl = await client_as(Role.liaison, "PL")
    mine = (await pl.get(url)).json()
    text = json.dumps(mine)
    for leak in [*other_nations_text("PL"), "RO-INF-1", "SE-SAR-2"]:
        assert leak not in text, (leak, mine)
    shown = {x["exercise"] for x in mine["unscheduled"]}
    assert "CB95" in shown  # PL has an infantry company for it
    for x in mine["unscheduled"]:
        for cause in x["causes"]:
            assert cause["nation"] in (None, "PL") and cause["unit"] in (None, "PL-INF-1")
        for suggestion in x["suggestions"]:
            assert all(c["entity"] in ("nation", "unit") for c in suggestion["changes"])
    assert all(s.get("nation") in (None, "PL") for s in mine["soft"])
    assert mine["minimal"] <= len(mine["unscheduled"])


async def test_the_published_programme_is_all_a_viewer_or_liaison_officer_gets(
    client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    assert (await client.put(f"{API}/scenario", json=programme_with_limits())).status_code == 200
    job = await approved(client)
    staff = (await client.get(f"{API}/programme")).json()
    assert staff["id"] == job["id"] and "scenario_sha256" in staff and staff["calendar"]["stats"]
    scheduled_units = {u for s in staff["calendar"]["scheduled"] for u in s["units"]}
    unscheduled = {u["exercise"] for u in staff["calendar"]["unscheduled"]}
    assert "CV95" in unscheduled  # one helicopter can take part: SE-SAR-2 is away all June
    staff_reasons = json.dumps(staff["calendar"]["unscheduled"])
    assert "Sweden" in staff_reasons and "SE-SAR-2" in staff_reasons  # what others must not see

    for role, nation in [(Role.viewer, None), (Role.liaison, "RO"), (Role.liaison, "PL")]:
        reader = await client_as(role, nation)
        seen = (await reader.get(f"{API}/programme")).json()
        assert set(seen) == {
            "id",
            "name",
            "state",
            "approved_at",
            "calendar",
            "exercises",
            "sites",
            "units",
        }
        assert seen["id"] == job["id"] and seen["state"] == "approved"
        calendar = seen["calendar"]
        assert calendar.get("stats") is None and calendar.get("bound") is None
        assert calendar["scheduled"] == staff["calendar"]["scheduled"]
        assert {u["id"] for u in seen["units"]} == scheduled_units
        assert all(set(u) == {"id", "nation", "capability"} for u in seen["units"])
        assert {u["exercise"] for u in calendar["unscheduled"]} == unscheduled
        text = json.dumps(calendar["unscheduled"])
        for leak in [*other_nations_text(nation or ""), "SE-SAR-1", "SE-SAR-2", "available"]:
            assert leak not in text, (role, nation, leak, calendar["unscheduled"])
        for entry in calendar["unscheduled"]:
            assert entry["reasons"], entry
        cv95 = next(u for u in calendar["unscheduled"] if u["exercise"] == "CV95")
        assert [r["code"] for r in cv95["reasons"]] == ["not_scheduled"]  # only SE's units
        page = await reader.get("/")  # the programme's page shows the same reasons
        assert page.status_code == 200 and "SE-SAR-2" not in page.text
    assert "SE-SAR-2" in (await client.get("/")).text


async def test_the_published_feeds_name_other_nations_units_without_their_personnel(
    tiny_client: httpx.AsyncClient, client_as: ClientFactory
) -> None:
    job = await approved(tiny_client)
    units = {u["id"]: u for u in tiny_scenario()["units"]}
    placed = [units[u] for s in job["calendar"]["scheduled"] for u in s["units"]]
    assert {u["nation"] for u in placed} >= {"PL", "NL"}

    def personnel_lines(feed: bytes) -> set[str]:
        """The units whose line in an event's description gives their personnel."""
        out = set()
        for event in icalendar.Calendar.from_ical(feed).walk("VEVENT"):
            for line in str(event["description"]).splitlines():
                unit_id = line.removeprefix("- ").split(":", 1)[0]
                if line.startswith("- ") and "personnel" in line:
                    out.add(unit_id)
        return out

    staff = await tiny_client.get(f"{API}/programme.ics")
    assert personnel_lines(staff.content) == {u["id"] for u in placed}
    viewer = await client_as(Role.viewer)
    feed = await viewer.get(f"{API}/programme.ics")
    assert feed.status_code == 200 and personnel_lines(feed.content) == set()
    assert feed.headers["vary"] == "Authorization"
    pl = await client_as(Role.liaison, "PL")
    feed = await pl.get(f"{API}/programme.ics")
    assert personnel_lines(feed.content) == {u["id"] for u in placed if u["nation"] == "PL"}
    nl_feed = await viewer.get(f"{API}/nations/NL/programme.ics")
    assert nl_feed.status_code == 200 and personnel_lines(nl_feed.content) == set()


# --- the README's access table -----------------------------------------------------------------

README_ROLES = ("admin", "planner", "approver", "liaison", "viewer", "anonymous")


def readme_cells(rule: rules.Rule) -> list[str]:
    """One README row's cells for `rule`: yes, own (a liaison's own nation), or no."""
    cells = []
    for name in README_ROLES:
        if rule.public:
            cells.append("yes")
        elif name == "anonymous":
            cells.append("no")
        elif name == "liaison":
            cells.append({"no": "no", "own": "own", "yes": "yes"}[rule.liaison])
        else:
            cells.append("yes" if rule.admits(Role(name)) else "no")
    return cells


def expected_readme_rows(app: FastAPI) -> dict[str, list[str]]:
    rows = {}
    for method, path, route in app_routes(app):
        rule = rule_of_route(route) if isinstance(route, APIRoute) else rules.PUBLIC
        assert rule is not None
        rows[f"{method} {path}"] = [rule.name, *readme_cells(rule)]
    return rows


def readme_rows() -> dict[str, list[str]]:
    text = README.read_text()
    section = text.split("## Access", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([A-Z]+ [^`]+)` \|(.*)\|\s*$", line)
        if match:
            rows[match[1]] = [c.strip().strip("`") for c in match[2].split("|")]
    return rows


async def test_the_readme_access_table_says_what_the_rules_say(app: FastAPI) -> None:
    expected = expected_readme_rows(app)
    lines = [
        f"| `{route}` | `{cells[0]}` | " + " | ".join(cells[1:]) + " |"
        for route, cells in expected.items()
    ]
    assert readme_rows() == expected, "README's access table should read:\n" + "\n".join(lines)
