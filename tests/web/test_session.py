"""The pages' session over real HTTP (no browser): sign-in cookie, CSRF, redirects, rules."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from app.auth.dependencies import csrf_token_for
from app.auth.rules import PUBLIC_PATHS, rule_of
from app.main import create_app
from app.settings import Settings
from app.web.routing import PageRoute
from app.web.session import safe_next
from tests.app.conftest import assert_problem, issue_secret

pytestmark = pytest.mark.anyio


def session_headers(secret: str, **extra: str) -> dict[str, str]:
    # httpx keeps Secure cookies for https only: send the cookie as the browser would
    return {"Cookie": f"pfp_session={secret}", **extra}


async def test_a_page_without_a_session_redirects_to_sign_in_and_the_api_still_answers_401(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get("/calendars?a=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fcalendars%3Fa%3D1"
    assert_problem(await anonymous.get("/api/v1/calendars"), 401)


async def test_sign_in_sets_a_strict_secure_http_only_cookie(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    secret = issue_secret(app, "planner")
    form = await anonymous.get("/signin?next=/calendars")
    nonce = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    assert f"pfp_signin={nonce}" in form.headers["set-cookie"]
    response = await anonymous.post(
        "/signin",
        data={"csrf_token": nonce, "token": secret, "next": "/calendars"},
        headers={"Cookie": f"pfp_signin={nonce}"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/calendars"
    cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("pfp_session=")]
    assert len(cookie) == 1
    attributes = {a.strip().lower() for a in cookie[0].split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= attributes

    page = await anonymous.get("/calendars", headers=session_headers(secret))
    assert page.status_code == 200
    assert csrf_token_for(secret) in page.text


async def test_sign_in_refuses_a_foreign_form_and_a_bad_token(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    secret = issue_secret(app, "planner")
    foreign = await anonymous.post("/signin", data={"csrf_token": "x", "token": secret})
    assert foreign.status_code == 403
    assert "pfp_session" not in foreign.headers.get("set-cookie", "")
    bad = await anonymous.post(
        "/signin",
        data={"csrf_token": "n", "token": "pfp_wrong"},
        headers={"Cookie": "pfp_signin=n"},
    )
    assert bad.status_code == 401
    assert "unknown, revoked or expired" in bad.text


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/calendars?a=1", "/calendars?a=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
    ],
)
def test_sign_in_only_returns_to_a_path_of_this_site(target: str | None, safe: str) -> None:
    assert safe_next(target) == safe


async def test_a_cookie_write_needs_the_csrf_token_a_bearer_write_does_not(
    app: FastAPI, tiny_client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    secret = issue_secret(app, "liaison", "PL")
    url = "/api/v1/nations/PL/availability"
    read = await anonymous.get(url, headers=session_headers(secret))
    assert read.status_code == 200
    body = {"availability": None, "blackouts": [{"start": "1995-06-20", "end": "1995-06-21"}]}
    etag = read.headers["etag"]
    missing = await anonymous.put(
        url, json=body, headers=session_headers(secret, **{"If-Match": etag})
    )
    assert_problem(missing, 403)
    wrong = await anonymous.put(
        url,
        json=body,
        headers=session_headers(secret, **{"If-Match": etag, "X-CSRF-Token": "0" * 64}),
    )
    assert_problem(wrong, 403)
    right = await anonymous.put(
        url,
        json=body,
        headers=session_headers(
            secret, **{"If-Match": etag, "X-CSRF-Token": csrf_token_for(secret)}
        ),
    )
    assert right.status_code == 200, right.text
    bearer = await anonymous.put(
        url,
        json=body,
        headers={"Authorization": f"Bearer {secret}", "If-Match": right.headers["etag"]},
    )
    assert bearer.status_code == 200, bearer.text


async def test_sign_out_needs_the_form_token_and_clears_the_cookie(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    secret = issue_secret(app, "viewer")
    refused = await anonymous.post("/signout", headers=session_headers(secret))
    assert refused.status_code == 403
    response = await anonymous.post(
        "/signout", data={"csrf_token": csrf_token_for(secret)}, headers=session_headers(secret)
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert 'pfp_session=""' in response.headers["set-cookie"]


async def test_a_stale_cookie_is_dropped_on_the_way_to_sign_in(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get("/", headers=session_headers("pfp_revoked-or-never-was"))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")
    assert 'pfp_session=""' in response.headers["set-cookie"]
    api = await anonymous.get("/api/v1/auth/me", headers=session_headers("pfp_nope"))
    assert_problem(api, 401)


async def test_a_page_the_role_may_not_see_is_a_403_page(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    secret = issue_secret(app, "viewer")
    response = await anonymous.get("/calendars", headers=session_headers(secret))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")


async def test_static_files_are_served_without_a_session(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/static/app.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]


def test_every_page_declares_an_access_rule_and_stays_out_of_the_openapi() -> None:
    app = create_app(Settings(database_url="sqlite://", migrate_on_startup=False))
    pages = [
        c.original_route
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, PageRoute)
    ]
    assert {"/", "/signin", "/calendars"} <= {r.path for r in pages}
    for route in pages:
        assert [rule_of(d.call) for d in route.dependant.dependencies if rule_of(d.call)], (
            route.path
        )
    assert "/static" in PUBLIC_PATHS
    assert not [
        p for p in app.openapi()["paths"] if not p.startswith(("/api/", "/healthz", "/readyz"))
    ]


async def test_a_form_sent_without_a_session_signs_in_first_and_goes_home(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.post("/calendars/abc/approve", data={"csrf_token": "x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2F"
