"""ASGI middleware: 413 for request bodies above the configured size, security headers, and
`install_middleware`, which puts them, the write rate limit and CORS on the app in order."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth.dependencies import SCOPE_KEY as PRINCIPAL_SCOPE_KEY
from app.errors import problem_response
from app.limits import WriteRateLimit
from app.settings import Settings


class BodySizeLimit:
    """413 for a body above `max_bytes`: at once from Content-Length, else while reading."""

    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0:
                await self._refuse(scope, receive, send, 400, "Content-Length is not a number")
                return
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # A body of unknown length (chunked; or with neither header, as over HTTP/2): read it
        # here, up to the limit, then replay it.
        messages: list[Message] = []
        total = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._refuse(
            scope,
            receive,
            send,
            413,
            f"the request body is larger than the limit of {self.max_bytes} bytes "
            "(PFP_MAX_BODY_BYTES)",
        )

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, detail: str
    ) -> None:
        slug = "payload-too-large" if status == 413 else "bad-request"
        response = problem_response(None, status=status, slug=slug, detail=detail)
        response.headers["connection"] = "close"
        await response(scope, receive, send)


# --- security headers on every answer ---

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# HTML pages that set no policy of their own: their own scripts, styles and forms only.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# /docs (Swagger UI) and /redoc (ReDoc) load their scripts, styles and favicon from the app
# itself (app.docs_ui, /docs-assets): same origin only, no other host. The Swagger page and
# the OAuth2 redirect page each carry one inline script: it is allowed by its sha256 (computed
# from the page as sent), never by 'unsafe-inline'. The UIs style their elements inline, so
# styles need 'unsafe-inline'; ReDoc's search runs in a worker made from a blob. (ReDoc's
# footer logo, which it would fetch from its vendor's site, is refused.)
DOCS_CSP = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions ('sha256-...') for the inline scripts of an HTML page."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(html)
        if body.strip()
    ]


class SecurityHeaders:
    """Pure ASGI (so streamed answers, e.g. server-sent events, stream on): adds
    X-Content-Type-Options, Referrer-Policy, X-Frame-Options, a Content-Security-Policy (unless
    the answer set its own), Cache-Control: no-store on answers to authenticated requests that
    set none, and Strict-Transport-Security when `hsts` is on."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False):
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in DOCS_PATHS:
            await self.app(scope, receive, self._docs_sender(scope, send))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(scope, message, csp=None)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _docs_sender(self, scope: Scope, send: Send) -> Send:
        """Holds back the start of a docs page until its body is complete, to hash its scripts."""
        start: Message | None = None
        body = bytearray()

        async def send_docs(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            hashes = "".join(" " + h for h in inline_script_hashes(bytes(body)))
            self._add(scope, start, csp=DOCS_CSP.format(hashes=hashes))
            await send(start)
            await send({"type": "http.response.body", "body": bytes(body), "more_body": False})

        return send_docs

    def _add(self, scope: Scope, message: Message, *, csp: str | None) -> None:
        headers = MutableHeaders(scope=message)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        if csp is None:
            html = headers.get("content-type", "").startswith("text/html")
            csp = PAGE_CSP if html else API_CSP
        headers.setdefault("Content-Security-Policy", csp)
        if _authenticated(scope):
            headers.setdefault("Cache-Control", "no-store")
        if self.hsts:
            headers.setdefault("Strict-Transport-Security", HSTS)


def _authenticated(scope: Scope) -> bool:
    """The request named a principal (a route's access rule found one) or carried a token."""
    if scope.get(PRINCIPAL_SCOPE_KEY) is not None:
        return True
    return any(name == b"authorization" for name, _ in scope.get("headers") or ())


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Every middleware of the app, innermost first: the body size limit, the write rate limit,
    CORS (only when PFP_CORS_ORIGINS names origins), the security headers (outermost, so that
    every answer, the refusals of the others included, carries them)."""
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.write_rate_limit.lower() != "off":
        app.add_middleware(WriteRateLimit, limit=settings.write_rate_limit)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            expose_headers=["ETag", "Location", "Retry-After", "WWW-Authenticate"],
            allow_credentials=False,  # bearer tokens only: a browser's cookies never go along
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, hsts=settings.hsts)
