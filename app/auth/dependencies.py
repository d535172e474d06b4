"""The request's principal: a bearer token from the `Authorization` header.

Every route but the public ones depends on `current_principal` through its access rule
(`app.auth.rules`). The principal is also put in `session.info["principal"]`, where the audit
trail finds who made a write, and in `request.scope["pfp.principal"]` (for middleware that
runs after the route, e.g. the write rate limit).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth.principal import Principal
from app.auth.tokens import authenticate_secret
from app.db import SessionDep
from app.errors import ErrorDetail, Unauthorized

PRINCIPAL_KEY = "principal"
SCOPE_KEY = "pfp.principal"  # not request.state: that dict can be shared between requests


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


def current_principal(request: Request, session: SessionDep) -> Principal:
    """Who is asking; 401 with a Bearer challenge when no valid token is given."""
    secret = bearer_secret(request)
    if secret is None:
        raise Unauthorized(
            "this needs a token: send `Authorization: Bearer <token>`",
            error="missing_token",
            errors=[
                ErrorDetail(reason="no token given", parameter="authorization", location="header")
            ],
        )
    principal = authenticate_secret(session, secret)
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
    session.info[PRINCIPAL_KEY] = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]

__all__ = ["PRINCIPAL_KEY", "SCOPE_KEY", "PrincipalDep", "bearer_secret", "current_principal"]
