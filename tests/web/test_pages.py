"""Each page for each role, over real HTTP: what the role may open, and the rest refused."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.app.calendar_steps import solved
from tests.app.conftest import issue_secret

pytestmark = pytest.mark.anyio

ROLES = ["admin", "planner", "approver", "viewer", "liaison:PL", "liaison:RO"]
# page -> the roles that may open it; every other role gets the status given
PAGES: dict[str, tuple[set[str], int]] = {
    "/": (set(ROLES), 403),
    "/calendars": ({"admin", "planner", "approver"}, 403),
    "/solve": ({"admin", "planner"}, 403),
    "/conflicts": ({"admin", "planner", "approver", "liaison:PL", "liaison:RO"}, 403),
    "/nations": ({"admin", "planner", "approver"}, 403),
    "/nations/PL": ({"admin", "planner", "approver", "liaison:PL"}, 403),
}


def _secret(app: FastAPI, who: str) -> str:
    role, _, nation = who.partition(":")
    return issue_secret(app, role, nation or None)


@pytest.mark.parametrize("who", ROLES)
async def test_each_page_opens_for_the_roles_it_is_for(
    app: FastAPI, tiny_client: httpx.AsyncClient, anonymous: httpx.AsyncClient, who: str
) -> None:
    cookie = {"Cookie": f"pfp_session={_secret(app, who)}"}
    for path, (allowed, refused) in PAGES.items():
        response = await anonymous.get(path, headers=cookie)
        if who in allowed:
            assert response.status_code == 200, (path, who, response.text[:300])
            assert response.headers["content-type"].startswith("text/html")
        elif who == "liaison:RO" and path == "/nations/PL":
            assert response.status_code == 404, (path, who)  # as if it did not exist
        else:
            assert response.status_code == refused, (path, who, response.status_code)


async def test_a_page_shows_only_the_menu_the_role_may_open(
    app: FastAPI, tiny_client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    viewer = await anonymous.get("/", headers={"Cookie": f"pfp_session={_secret(app, 'viewer')}"})
    assert 'href="/calendars"' not in viewer.text
    assert 'href="/solve"' not in viewer.text
    liaison = await anonymous.get(
        "/", headers={"Cookie": f"pfp_session={_secret(app, 'liaison:PL')}"}
    )
    assert 'href="/nations/PL"' in liaison.text
    assert 'href="/calendars"' not in liaison.text
    planner = await anonymous.get("/", headers={"Cookie": f"pfp_session={_secret(app, 'planner')}"})
    for link in ('href="/calendars"', 'href="/solve"', 'href="/conflicts"'):
        assert link in planner.text


async def test_an_unknown_calendar_page_is_a_404_page(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    response = await anonymous.get(
        "/calendars/nope", headers={"Cookie": f"pfp_session={_secret(app, 'planner')}"}
    )
    assert response.status_code == 404
    assert "no calendar" in response.text


async def test_a_calendar_page_shows_its_travel_and_spread_to_staff_only(
    app: FastAPI, tiny_client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    job = await solved(tiny_client)
    travel = job["calendar"]["stats"]["travel_km"]
    assert travel == 0.0  # the tiny programme gives no homes nor site locations
    approve = await tiny_client.post(f"/api/v1/calendars/{job['id']}/approve")
    assert approve.status_code == 200, approve.text
    planner = await anonymous.get(
        f"/calendars/{job['id']}", headers={"Cookie": f"pfp_session={_secret(app, 'planner')}"}
    )
    assert planner.status_code == 200
    assert "travel 0 km" in planner.text
    peak = job["calendar"]["stats"]["peak_exercises"]
    assert f"at most {peak} exercises at once" in planner.text
    nations = job["calendar"]["stats"]["nations_bound"]  # proven: the tiny one is optimal
    assert nations == job["calendar"]["kpi"]["nation_participations"]
    assert f"{nations} nation participations (at most {nations})" in planner.text
    # the published programme a liaison officer sees carries no statistics
    liaison = await anonymous.get(
        "/", headers={"Cookie": f"pfp_session={_secret(app, 'liaison:PL')}"}
    )
    assert liaison.status_code == 200 and "preferred-month hits" in liaison.text
    assert "travel" not in liaison.text and "at once" not in liaison.text
    assert "(at most" not in liaison.text
