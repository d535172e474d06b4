"""Rendering a page: the templates, and what every page's layout needs (who, CSRF, menu)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import CSRF_SCOPE_KEY, SCOPE_KEY
from app.auth.principal import Principal

WEB_DIR = Path(__file__).parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


@cache
def page_templates() -> Jinja2Templates:
    """The Jinja2 environment (autoescaping HTML), made on first use."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    templates.env.filters["day"] = _day
    return templates


def _day(value: dt.date | str | None) -> str:
    """A date as the pages show it: `Thu 1 Jun 1995`."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value:%a} {value.day} {value:%b %Y}"


def menu(principal: Principal | None) -> list[tuple[str, str]]:
    """The links of the top menu that this principal's role may open."""
    if principal is None:
        return []
    role = principal.role
    items = [("/", "Programme")]
    if rules.ALL_DATA_READ.admits(role):
        items.append(("/calendars", "Calendars"))
    if rules.SOLVE.admits(role):
        items.append(("/solve", "Solve"))
    if rules.CONFLICTS.admits(role):
        items.append(("/conflicts", "Conflicts"))
    if principal.is_liaison and principal.nation:
        items.append((f"/nations/{principal.nation}", f"Nation {principal.nation}"))
    elif rules.ALL_DATA_READ.admits(role):
        items.append(("/nations", "Nations"))
    return items


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Response:
    """The page `template` with `context`, plus `principal`, `csrf_token` and `menu`."""
    principal: Principal | None = request.scope.get(SCOPE_KEY)
    context.setdefault("title", "pfp-scheduler")
    return page_templates().TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "csrf_token": request.scope.get(CSRF_SCOPE_KEY, ""),
            "menu": menu(principal),
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "menu", "page_templates", "render"]
