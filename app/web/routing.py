"""Page routes answer in HTML: without a session, a 303 to the sign-in page; errors as pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.responses import Response

from app.auth.dependencies import SESSION_COOKIE
from app.errors import ServiceError, Unauthorized
from app.web.templating import render


def signin_redirect(request: Request) -> Response:
    """303 to /signin?next=<this page>; a stale session cookie is dropped on the way."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in ("GET", "HEAD"):  # a form sent after the session ended
        target = "/"
    response = RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)
    if SESSION_COOKIE in request.cookies:
        clear_session_cookie(response)
    return response


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")


def error_page(request: Request, status: int, message: str, details: list[str]) -> Response:
    return render(
        request,
        "error.html",
        status_code=status,
        title=f"{status} - pfp-scheduler",
        status=status,
        message=message,
        details=details,
    )


class PageRoute(APIRoute):
    """An APIRoute whose errors are pages (or a redirect to sign in), not problem+json."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handle(request)
            except Unauthorized:
                return signin_redirect(request)
            except ServiceError as error:
                details = [e.reason for e in error.errors]
                return error_page(request, error.status_code, error.message, details)
            except RequestValidationError as error:
                details = [
                    f"{'/'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}"
                    for e in error.errors()
                ]
                return error_page(
                    request, 400, "the address holds a value this page cannot use", details
                )

        return page


def page_router() -> APIRouter:
    """A router for pages: HTML answers, left out of the OpenAPI document."""
    return APIRouter(
        route_class=PageRoute, include_in_schema=False, default_response_class=HTMLResponse
    )


__all__ = ["PageRoute", "clear_session_cookie", "error_page", "page_router", "signin_redirect"]
