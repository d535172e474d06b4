"""The request's principal: a bearer token from the `Authorization` header, or the web pages'
session cookie.

A request with `Authorization: Bearer ...` is authenticated by that token alone. Without the
header, the `pfp_session` cookie (set by the sign-in page; Secure, HttpOnly, SameSite=Strict)
holds the same kind of token; an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the
cookie must also carry the session's CSRF token, in the `X-CSRF-Token` header or in a form's
`csrf_token` field (double submit: the token is an HMAC of the session's secret, which a page of
another site can neither read nor compute), else 403. Bearer requests need no CSRF token: a
browser never adds that header by itself.

Every route but the public ones depends on `current_principal` through its access rule
(`app.auth.rules`). The principal is put in `request.scope["pfp.principal"]`; the request's
database session reaches it through `principal_of(session)`, which is how the audit trail finds
who made a write (code outside a request may set `session.info["principal"]` instead).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.auth.principal import SYSTEM, Principal
from app.auth.tokens import authenticate_secret
from app.db.session import SCOPE_INFO_KEY
from app.errors import ErrorDetail, Forbidden, Unauthorized

PRINCIPAL_KEY = "principal"
SCOPE_KEY = "pfp.principal"  # not request.state: that dict can be shared between requests
SESSION_COOKIE = "pfp_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_SCOPE_KEY = "pfp.csrf_token"  # the session's CSRF token, for the pages' forms
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CSRF_LABEL = b"pfp-scheduler csrf v1"
FORM_TYPE = "application/x-www-form-urlencoded"


def csrf_token_for(secret: str) -> str:
    """The CSRF token of a session: an HMAC-SHA256 of its token secret with a fixed label."""
    return hmac.new(secret.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def form_fields(body: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body as a dict (the first value of each field)."""
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token an unsafe, cookie-authenticated request carries (header or form field)."""
    if request.method not in UNSAFE_METHODS or "authorization" in request.headers:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    if SESSION_COOKIE not in request.cookies:
        return None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        return None
    return form_fields(await request.body()).get(CSRF_FIELD)


def bearer_secret(request: Request) -> str | None:
    """The token in `Authorization: Bearer ...`, or None when the header is absent."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(
            "the Authorization header must be `Bearer <token>`",
            error="invalid_request",
            errors=[
                ErrorDetail(
                    reason="expected the Bearer scheme and a token",
                    parameter="authorization",
                    location="header",
                )
            ],
        )
    return secret.strip()


def _authenticate(request: Request, secret: str) -> Principal | None:
    """Look the token up in a short transaction of its own, so the request's own session (and
    its connection) is not opened before the route needs it: a write that waits for SQLite's
    single-writer lock must not hold a connection meanwhile."""
    with request.app.state.sessionmaker.begin() as session:
        return authenticate_secret(session, secret)


def principal_of(session: Session) -> Principal:
    """Who makes the writes of `session`: the request's principal, or SYSTEM (CLI, demo load)."""
    principal = session.info.get(PRINCIPAL_KEY)
    if principal is None:
        principal = session.info.get(SCOPE_INFO_KEY, {}).get(SCOPE_KEY)
    return principal if isinstance(principal, Principal) else SYSTEM


def _cookie_principal(request: Request, secret: str, csrf: str | None) -> Principal:
    principal = _authenticate(request, secret)
    if principal is None:
        raise Unauthorized(
            "the session has ended (its token is unknown, revoked or expired): sign in again",
            errors=[
                ErrorDetail(reason="invalid session", parameter=SESSION_COOKIE, location="cookie")
            ],
        )
    expected = csrf_token_for(secret)
    if request.method in UNSAFE_METHODS and not hmac.compare_digest(
        (csrf or "").encode(), expected.encode()
    ):
        raise Forbidden(
            "this form or request lacks the session's CSRF token: reload the page and try again",
            errors=[
                ErrorDetail(
                    reason="missing or wrong CSRF token", parameter=CSRF_FIELD, location="body"
                )
            ],
        )
    request.scope[CSRF_SCOPE_KEY] = expected
    return principal


def current_principal(
    request: Request,
    csrf: Annotated[str | None, Depends(submitted_csrf)],
) -> Principal:
    """Who is asking; 401 with a Bearer challenge when no valid token (or session) is given."""
    secret = bearer_secret(request)
    cookie = request.cookies.get(SESSION_COOKIE) if secret is None else None
    if cookie:
        principal = _cookie_principal(request, cookie, csrf)
        request.scope[SCOPE_KEY] = principal
        return principal
    if secret is None:
        raise Unauthorized(
            "this needs a token: send `Authorization: Bearer <token>`",
            error="missing_token",
            errors=[
                ErrorDetail(reason="no token given", parameter="authorization", location="header")
            ],
        )
    principal = _authenticate(request, secret)
    if principal is None:
        raise Unauthorized(
            "the token is unknown, revoked or expired",
            errors=[
                ErrorDetail(
                    reason="unknown, revoked or expired token",
                    parameter="authorization",
                    location="header",
                )
            ],
        )
    request.scope[SCOPE_KEY] = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CSRF_SCOPE_KEY",
    "PRINCIPAL_KEY",
    "SCOPE_KEY",
    "SESSION_COOKIE",
    "PrincipalDep",
    "bearer_secret",
    "csrf_token_for",
    "current_principal",
    "form_fields",
    "principal_of",
]
