"""Sign in (paste a token: it becomes the `pfp_session` cookie) and sign out.

The sign-in form is protected against login CSRF by its own double-submit nonce: GET /signin
sets a random `pfp_signin` cookie (SameSite=Strict, HttpOnly) and puts the same value in the
form; POST /signin accepts only when both match.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import CSRF_FIELD, SESSION_COOKIE, form_fields
from app.auth.rules import allow
from app.auth.tokens import authenticate_secret
from app.db import SessionDep
from app.web.routing import clear_session_cookie, page_router
from app.web.templating import render

router = page_router()

SIGNIN_COOKIE = "pfp_signin"
SESSION_MAX_AGE_S = 12 * 3600  # the browser forgets the session after 12 hours


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//host` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def posted_form(request: Request) -> dict[str, str]:
    """The fields of an `application/x-www-form-urlencoded` body."""
    return form_fields(await request.body())


FormDep = Annotated[dict[str, str], Depends(posted_form)]


def _signin_form(
    request: Request, next_path: str, *, error: str | None = None, status_code: int = 200
) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "signin.html",
        status_code=status_code,
        title="Sign in - pfp-scheduler",
        nonce=nonce,
        next_path=next_path,
        error=error,
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        nonce,
        max_age=3600,
        path="/signin",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/signin", dependencies=[allow(rules.PUBLIC)])
def signin_page(
    request: Request, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """The sign-in form: paste the token you were given."""
    return _signin_form(request, safe_next(next_path))


@router.post("/signin", dependencies=[allow(rules.PUBLIC)])
def signin(request: Request, session: SessionDep, form: FormDep) -> Response:
    """Check the pasted token; on success set the session cookie and go where the user was."""
    next_path = safe_next(form.get("next"))
    nonce = request.cookies.get(SIGNIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(form.get(CSRF_FIELD, "").encode(), nonce.encode()):
        return _signin_form(
            request,
            next_path,
            error="The form had expired or came from elsewhere. Please paste your token again.",
            status_code=403,
        )
    secret = form.get("token", "").strip()
    principal = authenticate_secret(session, secret) if secret else None
    if principal is None:
        return _signin_form(
            request,
            next_path,
            error="That token is unknown, revoked or expired.",
            status_code=401,
        )
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_MAX_AGE_S,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(
        SIGNIN_COOKIE, path="/signin", secure=True, httponly=True, samesite="strict"
    )
    return response


@router.post("/signout", dependencies=[allow(rules.SIGNED_IN)])
def signout() -> Response:
    """Forget the session cookie (the token itself stays valid: revoke it to end it)."""
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response)
    return response


__all__ = ["SIGNIN_COOKIE", "router", "safe_next"]
