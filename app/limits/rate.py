"""A per-token rate limit on writes (POST, PUT, PATCH, DELETE), as pure ASGI middleware.

The limit is counted in a moving window (`limits`' MovingWindowRateLimiter over its in-memory
storage: exact, with no burst at a window's edge) per token: the key is the sha256 of the
token's secret (bearer, or the web pages' session cookie), so it is known before the route
runs and costs no database read; the same token under any spelling of `Bearer`, or in the
cookie, is one key. A request without a token is not counted: it
is refused (401) by the route's access rule. Reads are not limited. The counts live in the
process (one service process per database, as for the solve runner); a restart forgets them.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth.dependencies import SESSION_COOKIE
from app.auth.tokens import hash_secret
from app.errors import ErrorDetail, TooManyRequests, problem_response

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def token_key(scope: Scope) -> str | None:
    """The rate limit's key for a request: the sha256 of the token it carries (the bearer
    secret, else the web pages' session cookie, which holds the same kind of token), or None."""
    cookies = None
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            scheme, _, secret = value.decode("latin-1").partition(" ")
            secret = secret.strip()
            if scheme.lower() == "bearer" and secret:
                return hash_secret(secret)
            return None
        if name == b"cookie":
            cookies = value.decode("latin-1")
    if cookies is not None:
        secret = cookie_parser(cookies).get(SESSION_COOKIE)
        if secret:
            return hash_secret(secret)
    return None


class WriteRateLimit:
    """429 with `Retry-After` for a token's writes above `limit` (e.g. `120/minute`)."""

    def __init__(self, app: ASGIApp, *, limit: str):
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        key = token_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        # test every window first, then count the write in all: a refused write uses none
        full = [item for item in self.items if not self.limiter.test(item, key)]
        if not full:
            for item in self.items:
                self.limiter.hit(item, key)
            await self.app(scope, receive, send)
            return
        await self._refuse(scope, receive, send, full[0], key)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, item: RateLimitItem, key: str
    ) -> None:
        reset_at = self.limiter.get_window_stats(item, key).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        error = TooManyRequests(
            f"this token has made {item.amount} writes in the last {_window(item)}, the most "
            f"it may (PFP_WRITE_RATE_LIMIT); try again in {retry_after} s",
            errors=[
                ErrorDetail(
                    reason=f"at most {item.amount} writes per {_window(item)}",
                    parameter="authorization",
                    location="header",
                )
            ],
            headers={"Retry-After": str(retry_after)},
        )
        response = problem_response(
            Request(scope),
            status=error.status_code,
            slug=error.slug,
            detail=error.message,
            errors=error.errors,
            headers=error.headers,
        )
        await response(scope, receive, send)


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


__all__ = ["WRITE_METHODS", "WriteRateLimit", "token_key"]
