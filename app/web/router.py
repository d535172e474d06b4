"""Every page router, and the static files, added to the app in one call."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.web import calendars, conflicts, nations, programme, session, solve
from app.web.templating import STATIC_DIR

STATIC_PATH = "/static"


def mount_web(app: FastAPI) -> None:
    """Add the pages (HTML, not in the OpenAPI document) and `/static` to `app`."""
    for module in (session, calendars, conflicts, nations, programme, solve):
        app.include_router(module.router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")


__all__ = ["STATIC_PATH", "mount_web"]
