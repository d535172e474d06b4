"""ASGI middleware: refuse request bodies above the configured size with 413."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response


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
        if headers.get(b"transfer-encoding") is None:
            await self.app(scope, receive, send)
            return
        # A streamed body of unknown length: read it here, up to the limit, then replay it.
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
